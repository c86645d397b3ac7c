"""Forms for keeping the register true: a need change checked, a renewal received."""

from crispy_forms_gds.layout import Field
from django import forms

from allocations.forms.common import form_helper
from allocations.models import EvidenceDocument
from config.forms import DocumentField, Form, GovDateField


class NeedCheckedForm(Form):
    note = forms.CharField(
        label="What you checked and found",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what you checked and what you found"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("note"), submit="Record as checked")


class RenewalForm(Form):
    answered_on = GovDateField(label="Date the answer was received")
    circumstances = forms.CharField(
        label="What the household told you",
        help_text="Who lives with them now and anything that has changed.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Say what the household told you"},
    )
    evidence_kind = forms.ChoiceField(
        label="Type of evidence sent (if any)",
        choices=[("", "No evidence sent"), *EvidenceDocument.Kind.choices],
        required=False,
    )
    file = DocumentField(required=False, label="Evidence (PDF, JPEG or PNG, up to 10 MB)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("answered_on"),
            Field.textarea("circumstances"),
            Field.select("evidence_kind"),
            Field("file"),
            submit="Record the renewal",
        )

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("evidence_kind"):
            self.add_error("evidence_kind", "Select the type of evidence sent")
        return data
