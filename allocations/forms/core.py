"""Forms for what CORE needs: a let's CORE answers (with one set per person), a vacancy's
needs and rent type, an application's reasonable preference."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.core import year2026 as core
from allocations.core.countries import COUNTRIES
from allocations.forms.common import form_helper
from allocations.models import CoreLetAnswers, Vacancy
from allocations.models.applications import PreferenceGround, ReasonablePreference
from allocations.models.lettings import NeedsType, RentType
from config.forms import Form, ReasonField

NOT_ANSWERED = ("", "Not answered yet")


def _coded(label: str, codes: dict, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[NOT_ANSWERED, *codes.items()],
        coerce=int,
        empty_value=None,
        required=False,
        **kwargs,
    )


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[NOT_ANSWERED, ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class CoreAnswersForm(Form):
    privacy_notice_seen = forms.BooleanField(
        label="The tenant has seen or been given the government's (MHCLG) privacy notice",
        required=True,
        error_messages={"required": "CORE takes a log only once the tenant has seen the notice"},
    )
    referral = forms.ChoiceField(
        label="Source of referral",
        choices=[NOT_ANSWERED, *CoreLetAnswers.Referral.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    referral_org = _coded("Who referred the household to the council", core.REFERRAL_ORG_LA)
    via_cbl = _yes_no("Let through choice-based lettings (CBL)")
    via_common_allocation_policy = _yes_no("Let under a common allocation policy (CAP)")
    via_common_housing_register = _yes_no("Let from a common housing register (CHR)")
    via_accessible_register = _yes_no("Let from an accessible housing register")
    vacancy_reason = _coded(
        "Reason the home was empty (only if the unit's void reason does not say)",
        core.VACANCY_REASON,
    )
    nationality = _coded("Lead tenant's nationality", dict(sorted(COUNTRIES.items())))
    armed_forces = _coded("Links to the UK armed forces", core.ARMED_FORCES)
    still_serving = _coded("Still serving", core.STILL_SERVING)
    injured_in_service = _coded("Seriously injured or ill as a result of serving", core.INJURED)
    illness = _coded(
        "Anyone with a condition or illness expected to last 12 months or more",
        core.PREFERS_NOT,
    )
    condition_effects = forms.MultipleChoiceField(
        label="How the condition affects them",
        choices=CoreLetAnswers.ConditionEffect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_in_area = _coded("How long the household has lived in the area", core.TIME_IN_AREA)
    leaving_reason = _coded("Main reason for leaving their last settled home", core.LEAVING_REASON)
    leaving_reason_other = forms.CharField(
        label="If 'Other', the reason", max_length=200, required=False
    )
    previous_tenure = _coded("Where they lived immediately before", core.PREVIOUS_TENURE)
    homeless = _coded("Homeless immediately before this let", core.HOMELESS)
    previous_postcode = forms.CharField(
        label="Postcode of the last settled home",
        help_text="Leave blank if not known.",
        max_length=8,
        required=False,
    )
    income_known = _coded("Household's combined income after tax known", core.INCOME_KNOWN)
    income_frequency = _coded("Income received", core.INCOME_FREQUENCY)
    income = forms.DecimalField(
        label="Income after tax (£)",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={"invalid": "Enter the income in pounds, like 250.00"},
    )
    housing_benefit = _coded("Housing-related benefits likely", core.HOUSING_BENEFITS)
    benefits_share = _coded(
        "Income from Universal Credit, state pensions or benefits", core.BENEFITS_SHARE
    )
    rent_shortfall = _coded(
        "After housing benefit, still needing to pay rent and charges", core.RENT_SHORTFALL
    )
    shortfall = forms.DecimalField(
        label="Expected outstanding amount (£ a week)",
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={"invalid": "Enter the amount in pounds, like 12.50"},
    )
    reason = ReasonField()

    def __init__(self, *args, people=(), nomination: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        # A provider's let on the council's nomination: the nomination is its source of
        # referral (CORE fields 132-133); CORE then asks who referred them to the council.
        del self.fields["referral" if nomination else "referral_org"]
        person_sets = []
        for person in self.people:
            self.fields[f"working_situation_{person.pk}"] = _coded(
                "Working situation", core.WORKING_SITUATION
            )
            self.fields[f"gender_same_as_sex_{person.pk}"] = _coded(
                "Gender the same as their sex registered at birth", core.GENDER_SAME_AS_SEX
            )
            self.fields[f"gender_description_{person.pk}"] = forms.CharField(
                label="If not, their gender identity", max_length=100, required=False
            )
            person_sets.append(
                Fieldset(
                    Field.select(f"working_situation_{person.pk}"),
                    Field.select(f"gender_same_as_sex_{person.pk}"),
                    Field.text(f"gender_description_{person.pk}"),
                    legend=str(person),
                    legend_size=Size.SMALL,
                )
            )
        self.helper = form_helper(
            Field.checkbox("privacy_notice_seen"),
            Fieldset(
                Field.select("referral_org")
                if nomination
                else Field.radios("referral", legend_size=Size.SMALL),
                Field.radios("via_cbl", legend_size=Size.SMALL, inline=True),
                Field.radios("via_common_allocation_policy", legend_size=Size.SMALL, inline=True),
                Field.radios("via_common_housing_register", legend_size=Size.SMALL, inline=True),
                Field.radios("via_accessible_register", legend_size=Size.SMALL, inline=True),
                legend="How the let was allocated",
                legend_size=Size.MEDIUM,
            ),
            Field.select("vacancy_reason"),
            Fieldset(*person_sets, legend="Each person", legend_size=Size.MEDIUM),
            Fieldset(
                Field.select("nationality"),
                Field.select("armed_forces"),
                Field.select("still_serving"),
                Field.select("injured_in_service"),
                Field.select("illness"),
                Field.checkboxes("condition_effects", legend_size=Size.SMALL),
                legend="The household",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("time_in_area"),
                Field.select("leaving_reason"),
                Field.text("leaving_reason_other"),
                Field.select("previous_tenure"),
                Field.select("homeless"),
                Field.text("previous_postcode", field_width=10),
                legend="Where they lived before",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("income_known"),
                Field.select("income_frequency"),
                Field.text("income", field_width=10),
                Field.select("housing_benefit"),
                Field.select("benefits_share"),
                Field.select("rent_shortfall"),
                Field.text("shortfall", field_width=10),
                legend="Income and benefits",
                legend_size=Size.MEDIUM,
            ),
            Field.text("reason"),
            submit="Save CORE answers",
        )

    def split(self) -> tuple[dict, dict[int, dict]]:
        """(the let's answers, {person id: that person's answers}) from cleaned data."""
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        people = {}
        for person in self.people:
            people[person.pk] = {
                name: data.pop(f"{name}_{person.pk}")
                for name in ("working_situation", "gender_same_as_sex", "gender_description")
            }
        data["reason"] = reason
        return data, people


class VacancyCoreForm(Form):
    needs_type = forms.ChoiceField(
        label="Needs type",
        choices=NeedsType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select general needs or supported housing"},
    )
    rent_type = forms.ChoiceField(
        label="Rent type",
        choices=RentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the rent it is let at"},
    )
    home_type = forms.ChoiceField(
        label="Type of home",
        choices=[("", "A pitch (not a home)"), *Vacancy.HomeType.choices],
        required=False,
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("needs_type", legend_size=Size.SMALL),
            Field.radios("rent_type", legend_size=Size.SMALL),
            Field.select("home_type"),
            Field.text("reason"),
            submit="Save",
        )


class PreferenceForm(Form):
    reasonable_preference = forms.ChoiceField(
        label="Was the household given reasonable preference?",
        choices=ReasonablePreference.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the household had reasonable preference"},
    )
    grounds = forms.MultipleChoiceField(
        label="Grounds (Housing Act 1996 s.166A(3))",
        choices=PreferenceGround.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("reasonable_preference", legend_size=Size.SMALL),
            Field.checkboxes("grounds", legend_size=Size.SMALL),
            Field.text("reason"),
            submit="Save",
        )
