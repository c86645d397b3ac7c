from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from census.models import CaravanCount, CensusReturn, OffSiteCount, ReturnOccupant
from config.forms import Form, GovDateField, StaffChoiceField
from config.roles import OFFICER, TEAM_LEADER
from sites.models import Site, Unit

# Blank rows for new people found on a visit; a saved return shows its people plus these.
NEW_PERSON_ROWS = 3


def _numeric() -> forms.TextInput:
    # GOV.UK asks for text inputs with a numeric keyboard, not type="number".
    return forms.TextInput(
        attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input"}
    )


def _helper(*fields, submit: str | None = None, buttons=()) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    layout = list(fields)
    if submit:
        layout.append(Button.primary("save", submit))
    layout += list(buttons)
    helper.layout = Layout(*layout)
    return helper


# The officers who may visit a pitch for the census.
VISITORS = (OFFICER, TEAM_LEADER)


class RoundForm(Form):
    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        widget=_numeric(),
        error_messages={
            "required": "Enter the year of the census",
            "invalid": "Enter the year as four digits, like 2026",
        },
    )
    planned_start = GovDateField(label="Planned start date")
    deadline = GovDateField(label="Deadline for returns")
    sites = forms.ModelMultipleChoiceField(
        label="Sites to visit",
        queryset=Site.objects.exclude(kind=Site.Kind.HOUSING_SCHEME)
        .exclude(status=Site.Status.CLOSED)
        .order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one site"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.helper = _helper(
            Field.text("year", field_width=4),
            Field("planned_start"),
            Field("deadline"),
            Field.checkboxes("sites", legend_size=Size.SMALL),
            submit="Plan the round",
        )

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("planned_start"), cleaned.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", "The deadline must be on or after the planned start date")
        return cleaned


class ReturnForm(Form):
    """A pitch's census return. Nothing is required to save part-done; the service says what
    is missing when the return is submitted."""

    holder_present = forms.TypedChoiceField(
        label="Was the licence holder present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    caravans = forms.IntegerField(
        label="Number of caravans on the pitch",
        min_value=0,
        max_value=20,
        required=False,
        widget=_numeric(),
        error_messages={"invalid": "Enter the number of caravans as a whole number, like 2"},
    )
    amenity_block_condition = forms.ChoiceField(
        label="Amenity block condition",
        choices=[("", "Not recorded"), *Unit.Condition.choices],
        required=False,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=5000)
    visited_on = GovDateField(label="Date of visit", required=False)
    officer = StaffChoiceField(label="Officer", roles=VISITORS, required=False)
    second_officer = StaffChoiceField(label="Second officer", roles=VISITORS, required=False)

    def __init__(self, *args, census_return: CensusReturn, user=None, **kwargs):
        occupants = list(census_return.occupants.all())
        people = list(census_return.new_people.all())
        initial = {
            "holder_present": {True: "yes", False: "no"}.get(census_return.holder_present),
            "caravans": census_return.caravans,
            "amenity_block_condition": census_return.amenity_block_condition,
            "notes": census_return.notes,
            "visited_on": census_return.visited_on or timezone.localdate(),
            # The officer filling it in, until someone else is chosen.
            "officer": census_return.officer_id or (user.pk if user else None),
            "second_officer": census_return.second_officer_id,
        }
        for occupant in occupants:
            initial[f"occupant_{occupant.pk}"] = occupant.finding
        for index, person in enumerate(people):
            initial[f"new_{index}_name"] = person.name
            initial[f"new_{index}_age"] = person.approximate_age
        super().__init__(*args, initial=initial, **kwargs)
        self.occupant_ids = [occupant.pk for occupant in occupants]
        self.new_rows = len(people) + NEW_PERSON_ROWS
        layout = []
        if census_return.licence_id:
            layout.append(Field.radios("holder_present", legend_size=Size.MEDIUM, inline=True))
        else:
            del self.fields["holder_present"]
        occupant_fields = []
        for occupant in occupants:
            name = f"occupant_{occupant.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(occupant.licence_occupant.person),
                choices=ReturnOccupant.Finding.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            occupant_fields.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        if occupant_fields:
            layout.append(
                Fieldset(
                    *occupant_fields,
                    legend="Authorised occupants on the licence",
                    legend_size=Size.MEDIUM,
                )
            )
        new_fields = []
        for index in range(self.new_rows):
            self.fields[f"new_{index}_name"] = forms.CharField(
                label=f"New person {index + 1}: name", required=False, max_length=120
            )
            self.fields[f"new_{index}_age"] = forms.IntegerField(
                label=f"New person {index + 1}: approximate age",
                required=False,
                min_value=0,
                max_value=120,
                widget=_numeric(),
                error_messages={"invalid": "Enter the age in years, like 30"},
            )
            new_fields += [
                Field.text(f"new_{index}_name"),
                Field.text(f"new_{index}_age", field_width=3),
            ]
        layout.append(
            Fieldset(
                *new_fields,
                legend="New people living on the pitch (not on the licence)",
                legend_size=Size.MEDIUM,
            )
        )
        layout += [
            Field.text("caravans", field_width=3),
            Field.select("amenity_block_condition"),
            Field.textarea("notes", rows=4),
            Field("visited_on"),
            Field.select("officer"),
            Field.select("second_officer"),
        ]
        self.helper = _helper(
            *layout,
            buttons=[
                Button.primary("submit_return", "Submit return"),
                Button.secondary("save_draft", "Save and finish later"),
            ],
        )

    def clean(self):
        cleaned = super().clean()
        for index in range(self.new_rows):
            if (
                cleaned.get(f"new_{index}_age") is not None
                and not cleaned.get(f"new_{index}_name", "").strip()
            ):
                self.add_error(f"new_{index}_name", "Enter the person's name, or clear their age")
        officer, second = cleaned.get("officer"), cleaned.get("second_officer")
        if officer and second and officer == second:
            self.add_error("second_officer", "The second officer must be someone else")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "caravans",
                "amenity_block_condition",
                "notes",
                "visited_on",
                "officer",
                "second_officer",
            )
        }
        if "holder_present" in self.fields:
            fields["holder_present"] = data.get("holder_present")
        fields["findings"] = {pk: data.get(f"occupant_{pk}", "") for pk in self.occupant_ids}
        fields["new_people"] = [
            {
                "name": data.get(f"new_{index}_name", ""),
                "approximate_age": data.get(f"new_{index}_age"),
            }
            for index in range(self.new_rows)
        ]
        return fields


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason",
        help_text="What was checked. Auditors will see this in the records' history.",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), submit=submit)


class CaravanCountForm(Form):
    count_date = GovDateField(label="Count date")
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.exclude(kind=Site.Kind.HOUSING_SCHEME).order_by("name"),
        empty_label="Choose a site",
        error_messages={"required": "Select the site"},
    )
    site_type = forms.ChoiceField(
        label="Site type", choices=CaravanCount.SiteType.choices, widget=forms.RadioSelect
    )
    caravans = forms.IntegerField(
        label="Number of caravans",
        min_value=0,
        max_value=5000,
        widget=_numeric(),
        error_messages={
            "required": "Enter the number of caravans",
            "invalid": "Enter the number of caravans as a whole number, like 12",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_type"].error_messages["required"] = "Select the site type"
        self.helper = _helper(
            Field("count_date"),
            Field.select("site"),
            Field.radios("site_type", legend_size=Size.SMALL),
            Field.text("caravans", field_width=5),
            submit="Save count",
        )


class OffSiteCountForm(Form):
    count_date = GovDateField(label="Count date")
    category = forms.ChoiceField(
        label="Where were they?",
        choices=OffSiteCount.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the caravans were"},
    )
    location = forms.CharField(
        label="Place",
        help_text="A road, a field or a site's name, so a second count of it replaces this one",
        max_length=200,
        error_messages={"required": "Enter where the caravans were, like a road or a field's name"},
    )
    caravans = forms.IntegerField(
        label="Number of caravans",
        min_value=0,
        max_value=5000,
        widget=_numeric(),
        error_messages={
            "required": "Enter the number of caravans",
            "invalid": "Enter the number of caravans as a whole number, like 12",
        },
    )
    travelling_showpeople = forms.BooleanField(
        label="These are Travelling Showpeople's caravans", required=False
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("count_date"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.text("location"),
            Field.text("caravans", field_width=5),
            Field.checkbox("travelling_showpeople"),
            Field.textarea("notes", rows=3),
            submit="Save count",
        )


class DeriveCountForm(Form):
    count_date = GovDateField(label="Count date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("count_date"), submit="Count caravans from the census")


class CountDateForm(Form):
    date = forms.DateField(required=False, widget=forms.HiddenInput)
