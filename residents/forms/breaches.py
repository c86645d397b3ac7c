"""Forms for licence breaches: input shape only."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from config.forms import DocumentField, Form, GovDateField
from residents.forms.common import form_helper, reason_field
from residents.models import (
    Breach,
)


class BreachForm(Form):
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *Breach.Category.choices],
        error_messages={"required": "Select the category"},
    )
    observed_on = GovDateField(label="Date observed")
    description = forms.CharField(
        label="What was found",
        widget=forms.Textarea,
        error_messages={"required": "Describe what was found"},
    )
    evidence = DocumentField(
        label="Evidence, such as a photo (PDF, JPEG or PNG, up to 10 MB)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.select("category"),
            Field("observed_on"),
            Field.textarea("description", rows=4),
            Field("evidence"),
            submit="Report breach",
        )


class BreachUpdateForm(Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new status"},
    )
    remedy_due_on = GovDateField(label="Remedy due by", required=False)
    reason = reason_field()

    def __init__(self, *args, next_statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Breach.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in next_statuses]
        self.fields["remedy_due_on"].help_text = "Only when serving a notice to remedy."
        self.helper = form_helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field("remedy_due_on"),
            Field.textarea("reason", rows=2),
            submit="Update breach",
        )
