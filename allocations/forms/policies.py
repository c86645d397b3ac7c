"""The form that publishes a new policy version."""

from crispy_forms_gds.layout import Field
from django import forms

from allocations.forms.common import form_helper
from config.forms import Form, GovDateField
from config.kernel.inputs import json_bounded


class PolicyPublishForm(Form):
    name = forms.CharField(label="Name", max_length=120)
    effective_from = GovDateField(label="Effective from")
    rules = forms.CharField(
        label="Policy rules (JSON)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text="Start from the current version's rules, shown here.",
    )
    summary_of_changes = forms.CharField(
        label="Summary of changes",
        widget=forms.Textarea,
        error_messages={"required": "Say what changed from the last version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field("effective_from"),
            Field.textarea("rules", rows=30),
            Field.textarea("summary_of_changes", rows=3),
            submit="Publish this version",
        )

    def clean_rules(self):
        data = json_bounded(self.cleaned_data["rules"], label="The rules")
        if not isinstance(data, dict):
            raise forms.ValidationError("The rules must be a JSON object")
        return data
