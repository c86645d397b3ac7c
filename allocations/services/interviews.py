"""Interviews: scheduling one and recording its outcome."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import (
    Application,
    Interview,
    Letter,
    Vacancy,
)
from allocations.selectors.policies import policy_for
from allocations.services.cases import (
    case_open,
    case_open_problems,
    clock,
    happened_after_the_fact,
    happened_problems,
    local_day,
    outcome_record,
)
from allocations.services.letters import letter_request
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_datetime
from config.kernel.records import save
from projects.work import source_key, work_item_cancel_for_source, work_item_complete_for_source
from residents.selectors import household_name

# --- Interviews ------------------------------------------------------------------------------


def interview_schedule_problems(
    *,
    application: Application,
    starts_at: datetime | None,
    lead_officer: AbstractBaseUser | None,
    second_officer: AbstractBaseUser | None = None,
    interpreter_language: str | None = "",
    outcome: str | None = "",
    outcome_notes: str | None = "",
) -> dict[str, str]:
    """Every refusal of `interview_schedule` at once, without writing: the case, the time and
    outcome, the officers, the interpreter. A value not known (None) is not checked."""
    problems = case_open_problems(application)
    problems |= happened_problems(
        starts_at=starts_at, outcome=outcome, notes=outcome_notes, what="interview"
    )
    # The same booking sent twice (a second press of the button) would invite the household
    # twice and put the interview in the officer's queue twice.
    if (
        starts_at is not None
        and application.interviews.filter(starts_at=starts_at)
        .exclude(status=Interview.Status.CANCELLED)
        .exists()
    ):
        problems.setdefault(
            "starts_at",
            f"{household_name(application.household)} already has an interview at "
            f"{page_datetime(starts_at)}: it is on the case page",
        )
    if (
        second_officer is not None
        and lead_officer is not None
        and second_officer.pk == lead_officer.pk
    ):
        problems["second_officer"] = "Choose a different second officer, or none"
    household = application.household
    if household.interpreter_needed and not (interpreter_language or "").strip():
        problems["interpreter_language"] = (
            "The household needs an interpreter"
            + (f" ({household.interpreter_language})" if household.interpreter_language else "")
            + ": enter the language the interpreter is booked for"
        )
    return problems


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    starts_at: datetime,
    place: str,
    lead_officer: AbstractBaseUser,
    by: AbstractBaseUser,
    second_officer: AbstractBaseUser | None = None,
    interpreter_language: str = "",
    vacancy: Vacancy | None = None,
    outcome: str = "",
    outcome_notes: str = "",
) -> Interview:
    """Book an interview and ask the worker for the invitation letter; or record one that
    already happened (its outcome given), with who recorded it and when."""
    application = case_open(application)
    problems = interview_schedule_problems(
        application=application,
        starts_at=starts_at,
        lead_officer=lead_officer,
        second_officer=second_officer,
        interpreter_language=interpreter_language,
        outcome=outcome,
        outcome_notes=outcome_notes,
    )
    if problems:
        raise ValidationError(problems)
    happened = happened_after_the_fact(
        starts_at=starts_at, outcome=outcome, notes=outcome_notes, what="interview", by=by
    )
    interpreter_language = interpreter_language.strip()
    interview = Interview(
        application=application,
        vacancy=vacancy,
        starts_at=starts_at,
        place=place.strip(),
        lead_officer=lead_officer,
        second_officer=second_officer,
        interpreter_language=interpreter_language,
        **(happened or {}),
    )
    if happened:
        save(interview, by=by, reason="Interview recorded after the fact")
        return interview
    save(interview, by=by, reason="Interview scheduled")
    day = local_day(starts_at)
    work_add(
        key=source_key("interview", interview.pk),
        kind="interview",
        title=f"Interview {household_name(application.household)} at "
        f"{timezone.localtime(starts_at):%H:%M}, {interview.place}",
        due=day,
        about=application,
        assignee=lead_officer,
        by=by,
    )
    letter_request(
        application=application,
        kind=Letter.Kind.INTERVIEW,
        context=documents.letter_context(
            application,
            reasons=[],
            policy=policy_for(application),
            extra={
                "when": f"{letter_date(day)} at {clock(starts_at)}",
                "place": interview.place,
                "interpreter_booked": interview.interpreter_language,
            },
        ),
        by=by,
    )
    return interview


@transaction.atomic
def interview_record(
    *, interview: Interview, status: str, notes: str, by: AbstractBaseUser
) -> Interview:
    interview = outcome_record(
        interview,
        status=status,
        notes=notes,
        what="interview",
        by=by,
    )
    if interview.status == Interview.Status.CANCELLED:
        work_item_cancel_for_source(
            source_key("interview", interview.pk), by=by, reason="Interview cancelled"
        )
    work_item_complete_for_source(source_key("interview", interview.pk), by=by)
    return interview
