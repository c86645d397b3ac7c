"""Offer, reply and withdrawal forms."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from config.forms import Form, GovDateField, ReasonField


class OfferForm(Form):
    respond_by = GovDateField(label="Reply needed by")
    adaptations_reason = forms.CharField(
        label="Why an adapted home goes to a household that does not need its adaptations",
        help_text="Only when the home is adapted and the household does not need it: the team "
        "leader sees this when they decide.",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, adapted_warning: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field("respond_by")]
        if adapted_warning:
            self.fields["adaptations_reason"].help_text = adapted_warning
            fields.append(Field.textarea("adaptations_reason", rows=3))
        else:
            del self.fields["adaptations_reason"]
        self.helper = form_helper(*fields, submit="Make offer")


class OfferReplyForm(Form):
    reply = forms.ChoiceField(
        label="The household's reply",
        choices=[("accept", "Accepted the offer"), ("refuse", "Refused the offer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the household's reply"},
    )
    responded_on = GovDateField(label="Replied on")
    refusal_reason = forms.CharField(
        label="Reason for refusing (if refused)", widget=forms.Textarea, required=False
    )
    reasonable = forms.ChoiceField(
        label="Is the refusal reasonable? (if refused)",
        choices=[("yes", "Yes: it does not count"), ("no", "No: it counts towards the limit")],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("reply", legend_size=Size.SMALL),
            Field("responded_on"),
            Field.textarea("refusal_reason", rows=3),
            Field.radios("reasonable", legend_size=Size.SMALL),
            submit="Record reply",
        )

    def clean(self):
        data = super().clean()
        if data.get("reply") == "refuse":
            if not (data.get("refusal_reason") or "").strip():
                self.add_error("refusal_reason", "Enter the household's reason for refusing")
            if not data.get("reasonable"):
                self.add_error("reasonable", "Select whether the refusal is reasonable")
        return data


class WithdrawForm(Form):
    reason = ReasonField(label="Why the offer is withdrawn")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Withdraw offer")
