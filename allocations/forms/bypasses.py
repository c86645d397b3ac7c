"""Bypass agreement, undo and offers reset forms."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from config.forms import Form, ReasonField


class BypassDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Do you agree to this bypass?",
        choices=[("agree", "Agree: the next applicant can be offered"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select agree or refuse"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="Needed when you refuse: say why.",
        widget=forms.Textarea,
        required=False,
        max_length=500,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("comments", rows=3),
            submit="Record decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("comments") or "").strip():
            self.add_error("comments", "Say why you refuse the bypass")
        return data


class BypassUndoForm(Form):
    reason = ReasonField(label="Why the bypass is being undone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Undo the bypass")


class OffersResetForm(Form):
    reason = ReasonField(label="Why the shortlist's offers are being reset")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Reset the offers")
