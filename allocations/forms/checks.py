"""Partner and due-diligence check forms."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import (
    DueDiligenceCheck,
    Partner,
)
from config.forms import Form, GovDateField, ModelForm, ReasonField


class PartnerForm(ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "contact_name",
            "email",
            "phone",
            "address",
            "agreement",
            "active",
        ]
        error_messages = {
            "name": {"required": "Enter the partner's name"},
            "kind": {"required": "Select the type of partner"},
            "agreement": {"required": "Enter the information-sharing agreement"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Six kinds: radios, as GOV.UK asks for short lists, with no empty choice.
        self.fields["kind"].widget = forms.RadioSelect(choices=Partner.Kind.choices)
        self.fields["kind"].choices = Partner.Kind.choices
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("contact_name"),
            Field.text("email"),
            Field.text("phone", field_width=20),
            Field.textarea("address", rows=3),
            Field.text("agreement"),
            Field.checkbox("active"),
            submit="Save partner",
        )


class CheckRequestForm(Form):
    partner = forms.ModelChoiceField(
        label="Partner",
        queryset=Partner.objects.filter(active=True),
        error_messages={"required": "Select the partner"},
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=200,
        help_text="What the answer is needed for, for example: tenancy history for a pitch offer.",
        error_messages={"required": "Enter the purpose of the check"},
    )
    legal_basis = forms.CharField(
        label="Legal basis or agreement clause",
        max_length=200,
        required=False,
        help_text="Leave blank to use the partner's information-sharing agreement, or give "
        "the clause.",
    )
    consent_reference = forms.CharField(label="Consent reference", max_length=60, required=False)
    due_on = GovDateField(label="Answer due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("partner"),
            Field.text("purpose"),
            Field.text("legal_basis"),
            Field.text("consent_reference", field_width=20),
            Field("due_on"),
            submit="Request check",
        )


class CheckReturnForm(Form):
    returned_on = GovDateField(label="Answer received on")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=DueDiligenceCheck.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    notes = forms.CharField(
        label="What the partner said", widget=forms.Textarea, required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("returned_on"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("notes", rows=5),
            submit="Record answer",
        )


class CheckExceptionForm(Form):
    reason = ReasonField(
        label="Why the case may go to offer before these checks are back",
        help_text="Auditors will see this on the case and in its history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=4), submit="Record exception")
