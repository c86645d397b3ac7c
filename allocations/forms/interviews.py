"""Interview and outcome forms."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import (
    CASEWORK_STAFF,
    TimeOfDayField,
    aware_moment,
    form_helper,
)
from allocations.models import (
    Interview,
    SiteVisit,
)
from config.forms import Form, GovDateField, StaffChoiceField

AFTER_THE_FACT = [
    ("", "It has not happened yet"),
    ("held", "Held"),
    ("not_attended", "Household did not attend"),
]


def after_the_fact_fields(form: forms.Form, what: str) -> None:
    """An event that already happened is recorded with what happened (who and when are
    recorded with it); left blank for one still to come."""
    form.fields["outcome"] = forms.ChoiceField(
        label=f"If the {what} already happened, what happened",
        choices=AFTER_THE_FACT,
        required=False,
        widget=forms.RadioSelect,
    )
    form.fields["outcome_notes"] = forms.CharField(
        label="Outcome and notes (if it already happened)",
        widget=forms.Textarea,
        required=False,
    )


class InterviewForm(Form):
    day = GovDateField(label="Date of the interview")
    at = TimeOfDayField(label="Time")
    place = forms.CharField(
        label="Place", max_length=200, error_messages={"required": "Enter the place"}
    )
    lead_officer = StaffChoiceField(
        roles=CASEWORK_STAFF,
        label="Interviewing officer",
        error_messages={"required": "Select the interviewing officer"},
    )
    second_officer = StaffChoiceField(
        roles=CASEWORK_STAFF, label="Second officer (optional)", required=False
    )
    interpreter_language = forms.CharField(
        label="Interpreter booked for (language)", max_length=60, required=False
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        if household.interpreter_needed:
            self.fields["interpreter_language"].help_text = (
                "This household needs an interpreter"
                + (f" ({household.interpreter_language})" if household.interpreter_language else "")
                + "."
            )
            self.fields["interpreter_language"].initial = household.interpreter_language
        after_the_fact_fields(self, "interview")
        self.helper = form_helper(
            Field("day"),
            Field.text("at", field_width=5),
            Field.text("place"),
            Field("lead_officer"),
            Field("second_officer"),
            Field.text("interpreter_language", field_width=20),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("outcome_notes", rows=3),
            submit="Schedule interview",
        )

    def service_kwargs(self) -> dict:
        """What the service is given; on a refused form, what could be read (None where the
        form refused the value), for the service's own checks."""
        data = self.cleaned_data
        return {
            "starts_at": starts_at(data),
            "place": data.get("place"),
            "lead_officer": data.get("lead_officer"),
            "second_officer": data.get("second_officer"),
            "interpreter_language": data.get("interpreter_language"),
            "outcome": data.get("outcome") or "",
            "outcome_notes": data.get("outcome_notes") or "",
        }


def starts_at(data: dict):
    """The moment from the day and the time, or None while either is not known."""
    if data.get("day") is None or data.get("at") is None:
        return None
    return aware_moment(data["day"], data["at"])


class OutcomeForm(Form):
    """What happened at an interview or a site visit."""

    status = forms.ChoiceField(
        label="What happened",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    outcome_notes = forms.CharField(
        label="Outcome and notes",
        widget=forms.Textarea,
        error_messages={"required": "Enter the outcome and notes"},
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses
        self.helper = form_helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("outcome_notes", rows=5),
            submit="Record outcome",
        )


INTERVIEW_OUTCOMES = [
    (value, label) for value, label in Interview.Status.choices if value != "scheduled"
]
VISIT_OUTCOMES = [
    (value, label) for value, label in SiteVisit.Status.choices if value != "arranged"
]
