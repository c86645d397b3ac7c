"""Forms for the site handbook: input shape only."""

from crispy_forms_gds.layout import Field
from django import forms

from config.forms import Form
from residents.forms.common import form_helper, reason_field
from residents.models import (
    HandbookSection,
)
from sites.models import Site


class HandbookSectionForm(Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.all(),
        label="Site",
        required=False,
        empty_label="Common to every site",
    )
    topic = forms.ChoiceField(
        label="Topic",
        choices=HandbookSection.Topic.choices,
        error_messages={"required": "Select the topic"},
    )
    heading = forms.CharField(
        label="Heading", max_length=150, error_messages={"required": "Enter the heading"}
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea,
        help_text="Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the text"},
    )
    position = forms.IntegerField(
        label="Order", min_value=0, max_value=1000, initial=10, help_text="Lower comes first."
    )

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.select("topic"),
            Field.text("heading"),
            Field.textarea("body", rows=8),
            Field.text("position", field_width=3),
        ]
        if with_reason:
            del self.fields["site"]
            self.fields["reason"] = reason_field()
            fields.append(Field.textarea("reason", rows=2))
        else:
            fields.insert(0, Field.select("site"))
        self.helper = form_helper(*fields, submit="Save section")
