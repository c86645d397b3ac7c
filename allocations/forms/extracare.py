"""Forms for Extra Care referrals, panels and the panel's decisions."""

from crispy_forms_gds.layout import Field
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Application, ExtraCarePanelItem, ExtraCareReferral
from allocations.selectors.extracare import referrals_awaiting_panel
from config.forms import Form, GovDateField, staff
from config.kernel.dates import page_date
from config.kernel.people import person_name


def _text(label: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class ExtraCareReferralForm(Form):
    application_reference = forms.CharField(
        label="Application reference",
        max_length=30,
        help_text="For example, CBL-001009",
        error_messages={"required": "Enter the application reference"},
    )
    referred_by = forms.CharField(
        label="Referred by",
        max_length=200,
        help_text="The social worker and team, for example: J. Patel, Adult Social Care",
        error_messages={"required": "Enter who made the referral"},
    )
    referred_on = GovDateField(label="Referred on")
    care_hours_per_week = forms.DecimalField(
        label="Assessed care (hours a week)",
        min_value=0,
        max_value=168,
        max_digits=5,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the care hours a week from the assessment",
            "invalid": "Enter the care hours a week as a number, like 12.5",
            "min_value": "Enter the care hours a week, from 0 to 168",
            "max_value": "Enter the care hours a week, from 0 to 168",
            "max_digits": "Enter the care hours a week, from 0 to 168",
            "max_decimal_places": "Enter the care hours to one decimal place, like 12.5",
        },
    )
    needs_summary = _text(
        "Needs from the social care assessment",
        help_text="Health information: shown only to the panel's roles, and each showing is "
        "logged.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("application_reference", field_width=10),
            Field.text("referred_by"),
            Field("referred_on"),
            Field.text("care_hours_per_week", field_width=4),
            Field.textarea("needs_summary"),
            submit="Record the referral",
        )

    def clean_application_reference(self):
        reference = self.cleaned_data["application_reference"].strip().upper()
        application = Application.objects.filter(reference=reference).first()
        if application is None:
            raise forms.ValidationError(f"No application with reference {reference}")
        return application


class ExtraCarePanelForm(Form):
    held_on = GovDateField(label="Date of the panel")
    staff = forms.ModelMultipleChoiceField(
        label="Council staff on the panel",
        queryset=staff(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the council staff on the panel"},
    )
    partner_members = _text(
        "Partner members",
        help_text="One a line with their organisation: social care, the care provider and "
        "the landlord",
    )
    referrals = forms.ModelMultipleChoiceField(
        label="Referrals on the agenda",
        queryset=ExtraCareReferral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the referrals on the agenda"},
    )

    def __init__(self, *args, **kwargs):
        from residents.selectors import household_name

        super().__init__(*args, **kwargs)
        self.fields["staff"].label_from_instance = person_name
        # Listed: the referrals awaiting a panel. Accepted: any referral, so that one a panel
        # has approved or declined since the page was drawn is refused by the service, saying
        # which panel and when, not as "not one of the available choices".
        self.fields["referrals"].queryset = ExtraCareReferral.objects.select_related("application")
        self.fields["referrals"].choices = lambda: [
            (
                referral.pk,
                f"{referral.application.reference}: "
                f"{household_name(referral.application.household)}, referred "
                f"{page_date(referral.referred_on)}",
            )
            for referral in referrals_awaiting_panel()
        ]
        self.helper = form_helper(
            Field("held_on"),
            Field.checkboxes("staff"),
            Field.textarea("partner_members"),
            Field.checkboxes("referrals"),
            submit="Arrange the panel",
        )


class ExtraCareDecisionForm(Form):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=ExtraCarePanelItem.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's decision"},
    )
    reasons = _text("Reasons", help_text="As they will read in the minutes.")
    ranking = forms.IntegerField(
        label="Position in the panel's ranking (approved referrals only)",
        min_value=1,
        max_value=99,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text="1 is offered the next Extra Care home first.",
        error_messages={
            "invalid": "Enter the position as a whole number, like 1",
            "min_value": "Enter the position, from 1",
            "max_value": "Enter the position, from 1 to 99",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", inline=True),
            Field.textarea("reasons"),
            Field.text("ranking", field_width=2),
            submit="Record the decision",
        )


class ExtraCareLetForm(Form):
    """Offer an Extra Care home from the panel's ranking: the first waiting referral unless
    the officer chooses one lower down, saying why those above are skipped."""

    vacancy_reference = forms.CharField(
        label="Vacancy reference",
        max_length=20,
        help_text="The Extra Care home's vacancy, for example V-000104",
        error_messages={"required": "Enter the vacancy reference"},
    )
    referral = forms.TypedChoiceField(
        label="Who is offered the home",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The approved referrals waiting, in the panel's ranking (the most recent "
        "panel first). The first is offered the home unless you skip them.",
        error_messages={
            "required": "Choose who is offered the home",
            "invalid_choice": "Choose one of the referrals waiting in the ranking",
        },
    )
    skip_reason = forms.CharField(
        label="Why the referrals ranked above are skipped",
        help_text="Only when you choose someone lower in the ranking: kept with the let and "
        "shown on the panel's page.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    respond_by = GovDateField(label="Reply needed by")
    adaptations_reason = forms.CharField(
        label="Why an adapted home goes to a household that does not need its adaptations",
        help_text="Only when the home is adapted and the household does not need it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, waiting=(), **kwargs):
        from allocations.services.extracare_lets import item_label

        super().__init__(*args, **kwargs)
        self.waiting = {item.pk: item for item in waiting}
        self.fields["referral"].choices = [
            (item.pk, item_label(item)[0].upper() + item_label(item)[1:]) for item in waiting
        ]
        if waiting and not self.is_bound:
            self.initial.setdefault("referral", waiting[0].pk)
        self.helper = form_helper(
            Field.text("vacancy_reference", field_width=10),
            Field.radios("referral"),
            Field.textarea("skip_reason"),
            Field("respond_by"),
            Field.textarea("adaptations_reason"),
            submit="Make the offer",
        )

    def clean_vacancy_reference(self):
        from allocations.models import Vacancy

        reference = self.cleaned_data["vacancy_reference"].strip().upper()
        vacancy = Vacancy.objects.select_related("unit").filter(reference=reference).first()
        if vacancy is None:
            raise forms.ValidationError(f"No vacancy with reference {reference}")
        return vacancy

    def clean_referral(self):
        return self.waiting[self.cleaned_data["referral"]]
