"""Forms for the steps between a frozen shortlist and an approved allocation."""

import re
from datetime import datetime, time

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations.forms import _helper
from allocations.models import (
    DecisionReview,
    DueDiligenceCheck,
    Interview,
    Partner,
    SiteVisit,
)
from config.forms import GovDateField, ReasonField
from sites.models import Site


class TimeOfDayField(forms.CharField):
    """A time like 14:30 or 2:30pm, in plain words when it is not one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", "For example, 10:30 or 14:00")
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {str(self.label).lower()}"

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*([ap]m)?\s*", value.lower())
        if not match:
            raise ValidationError(f"Enter the {str(self.label).lower()} like 10:30 or 14:00")
        hour, minute, half = int(match[1]), int(match[2]), match[3]
        if half == "pm" and hour < 12:
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise ValidationError(f"Enter a real time for the {str(self.label).lower()}")
        return time(hour, minute)


def _moment(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _staff():
    """People who can do casework: active officers and team leaders."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=["officer", "team_leader"])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class PartnerForm(forms.ModelForm):
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
        self.helper = _helper(
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


class InterviewForm(forms.Form):
    day = GovDateField(label="Date of the interview")
    at = TimeOfDayField(label="Time")
    place = forms.CharField(
        label="Place", max_length=200, error_messages={"required": "Enter the place"}
    )
    lead_officer = StaffChoiceField(
        label="Interviewing officer",
        queryset=None,
        error_messages={"required": "Select the interviewing officer"},
    )
    second_officer = StaffChoiceField(
        label="Second officer (optional)", queryset=None, required=False
    )
    interpreter_language = forms.CharField(
        label="Interpreter booked for (language)", max_length=60, required=False
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = _staff()
        self.fields["second_officer"].queryset = _staff()
        if household.interpreter_needed:
            self.fields["interpreter_language"].help_text = (
                "This household needs an interpreter"
                + (f" ({household.interpreter_language})" if household.interpreter_language else "")
                + "."
            )
            self.fields["interpreter_language"].initial = household.interpreter_language
        self.helper = _helper(
            Field("day"),
            Field.text("at", field_width=5),
            Field.text("place"),
            Field("lead_officer"),
            Field("second_officer"),
            Field.text("interpreter_language", field_width=20),
            submit="Schedule interview",
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": _moment(data["day"], data["at"]),
            "place": data["place"],
            "lead_officer": data["lead_officer"],
            "second_officer": data["second_officer"],
            "interpreter_language": data["interpreter_language"],
        }


class OutcomeForm(forms.Form):
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
        self.helper = _helper(
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


class CheckRequestForm(forms.Form):
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
        error_messages={"required": "Enter the legal basis or agreement clause"},
    )
    consent_reference = forms.CharField(label="Consent reference", max_length=60, required=False)
    due_on = GovDateField(label="Answer due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("partner"),
            Field.text("purpose"),
            Field.text("legal_basis"),
            Field.text("consent_reference", field_width=20),
            Field("due_on"),
            submit="Request check",
        )


class CheckReturnForm(forms.Form):
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
        self.helper = _helper(
            Field("returned_on"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("notes", rows=5),
            submit="Record answer",
        )


class CheckExceptionForm(forms.Form):
    reason = ReasonField(
        label="Why the case may go to offer before these checks are back",
        help_text="Auditors will see this on the case and in its history.",
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=4), submit="Record exception")


class SiteVisitForm(forms.Form):
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.order_by("name"),
        error_messages={"required": "Select the site"},
    )
    day = GovDateField(label="Date of the visit")
    at = TimeOfDayField(label="Time")
    first_officer = StaffChoiceField(
        label="First officer",
        queryset=None,
        error_messages={"required": "Select the first officer"},
    )
    second_officer = StaffChoiceField(
        label="Second officer",
        queryset=None,
        help_text="Visits always have two officers.",
        error_messages={"required": "Select the second officer: visits always have two"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_officer"].queryset = _staff()
        self.fields["second_officer"].queryset = _staff()
        self.helper = _helper(
            Field("site"),
            Field("day"),
            Field.text("at", field_width=5),
            Field("first_officer"),
            Field("second_officer"),
            submit="Arrange visit",
        )

    def clean(self):
        data = super().clean()
        first, second = data.get("first_officer"), data.get("second_officer")
        if first and second and first == second:
            self.add_error("second_officer", "Choose a different second officer: visits need two")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "site": data["site"],
            "starts_at": _moment(data["day"], data["at"]),
            "officers": [data["first_officer"], data["second_officer"]],
        }


class OfferForm(forms.Form):
    respond_by = GovDateField(label="Reply needed by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("respond_by"), submit="Make offer")


class OfferReplyForm(forms.Form):
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
        self.helper = _helper(
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


class WithdrawForm(forms.Form):
    reason = ReasonField(label="Why the offer is withdrawn", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), submit="Withdraw offer")


class ProposalForm(forms.Form):
    """Each clause of the policy's decision checklist answered, then the reasons."""

    reasons = forms.CharField(
        label="Reasons for the allocation",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for the allocation"},
    )

    def __init__(self, *args, clauses, facts, **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = clauses
        layout = []
        for clause in clauses:
            code = clause["code"]
            fact = facts.get(code)
            self.fields[f"clause_{code}"] = forms.ChoiceField(
                label=clause["label"],
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                help_text=(
                    ""
                    if fact is None
                    else "The records say: " + ("yes." if fact else "no — explain below.")
                ),
                error_messages={"required": f"Answer: {clause['label']}"},
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label="Note (needed if no)", required=False, max_length=1000
            )
            layout += [
                Field.radios(f"clause_{code}", legend_size=Size.SMALL, inline=True),
                Field.text(f"note_{code}"),
            ]
        self.helper = _helper(
            Fieldset(*layout, legend="Policy checklist", legend_size=Size.MEDIUM),
            Field.textarea("reasons", rows=5),
            submit="Send to a team leader",
        )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            clause["code"]: {
                "met": {"yes": True, "no": False}.get(data.get(f"clause_{clause['code']}")),
                "note": data.get(f"note_{clause['code']}", ""),
            }
            for clause in self.clauses
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the allocation"), ("return", "Send it back to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or send back"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="Needed when you send it back: say what must be put right.",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("comments", rows=4),
            submit="Record decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comments") or "").strip():
            self.add_error("comments", "Say what the officer needs to put right")
        return data


class SampleForm(forms.Form):
    since = GovDateField(label="Decided from")
    until = GovDateField(label="Decided up to")
    size = forms.IntegerField(
        label="How many to sample",
        min_value=1,
        max_value=50,
        initial=5,
        error_messages={
            "required": "Enter how many decisions to sample",
            "min_value": "Sample at least 1 decision",
            "max_value": "Sample no more than 50 decisions",
            "invalid": "Enter how many decisions to sample as a number, like 5",
        },
    )
    seed = forms.IntegerField(
        label="Sample number",
        min_value=1,
        help_text="The same number gives the same sample again, so a review can be repeated.",
        error_messages={"required": "Enter a sample number", "invalid": "Enter a whole number"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("since"),
            Field("until"),
            Field.text("size", field_width=3),
            Field.text("seed", field_width=10),
            submit="Show sample",
        )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end of the period must be after its start")
        return data


class ReviewForm(forms.Form):
    finding = forms.ChoiceField(
        label="Finding",
        choices=DecisionReview.Finding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the finding"},
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, error_messages={"required": "Enter the notes"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("finding", legend_size=Size.SMALL),
            Field.textarea("notes", rows=4),
            submit="Record review",
        )
