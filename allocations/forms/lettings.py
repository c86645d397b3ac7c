"""Vacancy, bid and bypass forms."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import LocalLettingsPlan, Scheme, Vacancy
from config.forms import Form, GovDateField, PoundsField, ReasonField


class VacancyForm(Form):
    scheme = forms.ChoiceField(
        label="Scheme",
        choices=Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the scheme"},
    )
    advert_text = forms.CharField(
        label="Advert text",
        widget=forms.Textarea,
        error_messages={"required": "Enter the advert text"},
    )
    opens_on = GovDateField(label="Opening date")
    closes_on = GovDateField(label="Closing date")
    min_household_size = forms.IntegerField(label="Smallest household", required=False, min_value=1)
    max_household_size = forms.IntegerField(label="Largest household", required=False, min_value=1)
    min_bedroom_need = forms.IntegerField(
        label="Smallest bedroom need", required=False, min_value=0
    )
    max_bedroom_need = forms.IntegerField(label="Largest bedroom need", required=False, min_value=0)
    min_age = forms.IntegerField(label="Lead applicant's minimum age", required=False, min_value=16)
    requires_accessible = forms.BooleanField(
        label="Only for households needing an accessible home", required=False
    )
    local_connection_required = forms.BooleanField(
        label="Only for households with a local connection", required=False
    )
    local_lettings_plan = forms.ModelChoiceField(
        label="Local lettings plan",
        help_text="Its required criteria refuse bids; its priorities rank first at the close.",
        queryset=LocalLettingsPlan.objects.filter(active=True),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select one of the local lettings plans in use"},
    )

    # About the home (homes only, not pitches): what the advert tells bidders and the
    # newsletter prints, and the access categories whose households may bid.
    home_type = forms.ChoiceField(
        label="Type of home",
        choices=[("", "Not given"), *Vacancy.HomeType.choices],
        required=False,
        error_messages={"invalid_choice": "Select the type of home from the list"},
    )
    weekly_rent = PoundsField(
        label="Weekly rent (£)", required=False, max_digits=7, example="98.50"
    )
    weekly_charges = PoundsField(
        label="Weekly service charges (£)", required=False, max_digits=7, example="12.40"
    )
    access_categories = forms.MultipleChoiceField(
        label="Access categories it suits",
        help_text="Only households assessed in a ticked category may bid. Leave all unticked "
        "for any household.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the access categories from the list"},
    )
    HOME_FIELDS = ("home_type", "weekly_rent", "weekly_charges", "access_categories")

    def __init__(self, *args, home: bool = True, access_categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        about_the_home = []
        if home:
            self.fields["access_categories"].choices = [
                (c["code"], f"{c['code'].upper()}: {c['label']}") for c in access_categories
            ]
            about_the_home = [
                Fieldset(
                    Field.select("home_type"),
                    Field.text("weekly_rent", field_width=5),
                    Field.text("weekly_charges", field_width=5),
                    Field.checkboxes("access_categories", legend_size=Size.SMALL),
                    legend="About the home",
                    legend_size=Size.MEDIUM,
                )
            ]
        else:
            for name in self.HOME_FIELDS:
                del self.fields[name]
        self.helper = form_helper(
            Field.radios("scheme", legend_size=Size.SMALL),
            Field.textarea("advert_text", rows=5),
            Field("opens_on"),
            Field("closes_on"),
            *about_the_home,
            Fieldset(
                Field.text("min_household_size", field_width=3),
                Field.text("max_household_size", field_width=3),
                Field.text("min_bedroom_need", field_width=3),
                Field.text("max_bedroom_need", field_width=3),
                Field.text("min_age", field_width=3),
                Field.checkbox("requires_accessible"),
                Field.checkbox("local_connection_required"),
                Field.select("local_lettings_plan"),
                legend="Who is eligible",
                legend_size=Size.MEDIUM,
            ),
            submit="Save vacancy",
        )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        for low, high, label in (
            ("min_household_size", "max_household_size", "household size"),
            ("min_bedroom_need", "max_bedroom_need", "bedroom need"),
        ):
            if (
                cleaned.get(low) is not None
                and cleaned.get(high) is not None
                and cleaned[high] < cleaned[low]
            ):
                self.add_error(high, f"The largest {label} must be at least the smallest")
        return cleaned


class BypassForm(Form):
    reason = ReasonField(label="Why this applicant is being passed over", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Record bypass")


class VacancyCloseForm(Form):
    """Closing a vacancy; before its advertised closing date, with the reason why."""

    reason = forms.CharField(
        label="Why are you closing it before the advertised closing date?",
        widget=forms.Textarea,
        required=False,
        max_length=500,
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )

    def __init__(self, *args, early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.early = early
        if early:
            self.helper = form_helper(
                Field.textarea("reason", rows=3), submit="Close early and freeze"
            )
        else:
            del self.fields["reason"]
            self.helper = form_helper(submit="Close and freeze")

    def clean(self):
        cleaned = super().clean()
        if self.early and not (cleaned.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Say why the vacancy is closing before its closing date")
        return cleaned


class VacancyReasonForm(Form):
    reason = ReasonField(label="Reason", help_text="")

    def __init__(self, *args, submit: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit=submit)
