"""Forms for direct lets: the officer's proposal and the team leader's decision."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Application, DirectLet, Vacancy
from config.forms import Form


class DirectLetProposeForm(Form):
    vacancy_reference = forms.CharField(
        label="Vacancy reference",
        max_length=20,
        help_text="The home's vacancy, for example V-000104",
        error_messages={"required": "Enter the vacancy reference"},
    )
    application_reference = forms.CharField(
        label="Application reference",
        max_length=30,
        help_text="The household to let it to, for example CBL-001009",
        error_messages={"required": "Enter the application reference"},
    )
    reason = forms.ChoiceField(
        label="The policy's reason for letting outside bidding",
        choices=DirectLet.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the policy's reason for the direct let"},
    )
    details = forms.CharField(
        label="Why this household and this home",
        help_text="The team leader decides on this, and it is kept with the let.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Say why this household should have this home outside bidding"},
    )
    # Set by the check page once the officer has seen the household's name for the reference
    # ("<vacancy pk>:<application pk>"): a typo'd reference is another household.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("vacancy_reference", field_width=10),
            Field.text("application_reference", field_width=10),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.textarea("details"),
            submit="Continue",
        )

    def is_confirmed(self) -> bool:
        """Whether the officer confirmed this household for this home on the check page."""
        data = self.cleaned_data
        return data.get("confirmed", "") == confirmation_of(
            data["vacancy_reference"], data["application_reference"]
        )

    def clean_vacancy_reference(self):
        reference = self.cleaned_data["vacancy_reference"].strip().upper()
        vacancy = Vacancy.objects.select_related("unit").filter(reference=reference).first()
        if vacancy is None:
            raise forms.ValidationError(f"No vacancy with reference {reference}")
        return vacancy

    def clean_application_reference(self):
        reference = self.cleaned_data["application_reference"].strip().upper()
        application = Application.objects.filter(reference=reference).first()
        if application is None:
            raise forms.ValidationError(f"No application with reference {reference}")
        return application


def confirmation_of(vacancy: Vacancy, application: Application) -> str:
    return f"{vacancy.pk}:{application.pk}"


class DirectLetDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: the home may be offered"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the direct let"},
    )
    reason = forms.CharField(
        label="Your reason",
        help_text="Kept with the direct let and shown to auditors in its history.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=500,
        error_messages={
            "required": "Give the reason for your decision",
            "max_length": "Keep the reason to 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("reason"),
            submit="Record the decision",
        )


class DirectLetCloseForm(Form):
    reason = forms.CharField(
        label="Why is the direct let being closed?",
        help_text="For example, the household has been housed elsewhere. Kept with the let.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": "Enter why the direct let is being closed",
            "max_length": "Keep the reason to 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason"), submit="Close the direct let")
