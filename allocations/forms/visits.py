"""The site visit form."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import (
    CASEWORK_STAFF,
    TimeOfDayField,
    form_helper,
)
from allocations.forms.interviews import after_the_fact_fields, starts_at
from config.forms import Form, GovDateField, StaffChoiceField
from sites.models import Site


class SiteVisitForm(Form):
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.none(),
        error_messages={
            "required": "Select the site",
            "invalid_choice": "Select an open site from the list",
        },
    )
    day = GovDateField(label="Date of the visit")
    at = TimeOfDayField(label="Time")
    first_officer = StaffChoiceField(
        roles=CASEWORK_STAFF,
        label="First officer",
        error_messages={"required": "Select the first officer"},
    )
    second_officer = StaffChoiceField(
        roles=CASEWORK_STAFF,
        label="Second officer",
        help_text="Visits always have two officers.",
        error_messages={"required": "Select the second officer: visits always have two"},
    )

    def __init__(self, *args, is_pitch: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only open sites of the kind the household is applying for: a pitch is on a
        # Gypsy and Traveller site or a stopping place, a home in a housing scheme.
        sites = Site.objects.filter(status=Site.Status.OPEN)
        if is_pitch:
            sites = sites.exclude(kind=Site.Kind.HOUSING_SCHEME)
        else:
            sites = sites.filter(kind=Site.Kind.HOUSING_SCHEME)
        self.fields["site"].queryset = sites.order_by("name")
        after_the_fact_fields(self, "visit")
        self.helper = form_helper(
            Field("site"),
            Field("day"),
            Field.text("at", field_width=5),
            Field("first_officer"),
            Field("second_officer"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("outcome_notes", rows=3),
            submit="Arrange visit",
        )

    def clean(self):
        data = super().clean()
        first, second = data.get("first_officer"), data.get("second_officer")
        if first and second and first == second:
            self.add_error("second_officer", "Choose a different second officer: visits need two")
        return data

    def service_kwargs(self) -> dict:
        """What the service is given; on a refused form, what could be read (None where the
        form refused the value), for the service's own checks."""
        data = self.cleaned_data
        return {
            "site": data.get("site"),
            "starts_at": starts_at(data),
            "officers": [data.get("first_officer"), data.get("second_officer")],
            "outcome": data.get("outcome") or "",
            "outcome_notes": data.get("outcome_notes") or "",
        }
