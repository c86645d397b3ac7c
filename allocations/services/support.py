"""Vulnerability interviews, referrals and case conferences (issue 15)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    CaseConference,
    Partner,
    Referral,
    VulnerabilityInterview,
)
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.records import save
from projects.work import source_key, work_item_complete_for_source
from residents.models import Household
from residents.selectors import household_name


@transaction.atomic
def vulnerability_interview_record(
    *,
    application: Application,
    held_on: date,
    interviewer: AbstractBaseUser,
    needs_found: str,
    risk: str,
    outcome: str,
    by: AbstractBaseUser,
    support_in_place: str = "",
    interpreter_language: str = "",
) -> VulnerabilityInterview:
    """The same interpreter rule as pitch interviews: a household that needs one has one."""
    # Locked: the same interview recorded twice at once is then seen by the second as done.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("household")
        .get(pk=application.pk)
    )
    household = application.household
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The interview cannot be in the future"})
    # The form sent twice would be a second record of the same interview, its needs and risk
    # counted twice on the case.
    if application.vulnerability_interviews.filter(
        held_on=held_on, interviewer=interviewer
    ).exists():
        raise ValidationError(
            f"{interviewer.get_full_name() or interviewer}'s vulnerability interview of "
            f"{page_date(held_on)} is already recorded for {household_name(household)}: it is "
            f"on the application's page."
        )
    if household.interpreter_needed and not interpreter_language.strip():
        raise ValidationError(
            {
                "interpreter_language": f"This household needs an interpreter "
                f"({household.interpreter_language}): record the interpreter's language"
            }
        )
    interview = VulnerabilityInterview(
        application=application,
        held_on=held_on,
        interviewer=interviewer,
        interpreter_language=interpreter_language.strip(),
        needs_found=needs_found.strip(),
        risk=risk,
        support_in_place=support_in_place.strip(),
        outcome=outcome.strip(),
    )
    interview.full_clean()
    save(interview, by=by, reason="Vulnerability interview recorded")
    return interview


@transaction.atomic
def referral_make(
    *,
    household: Household,
    agency: str,
    reason: str,
    basis: str,
    basis_detail: str,
    referred_on: date,
    response_due: date,
    by: AbstractBaseUser,
    partner: Partner | None = None,
    application: Application | None = None,
) -> Referral:
    """A referral with its consent or lawful basis; its response due goes in the referrer's
    queue (overdue referrals show there as overdue until the response is recorded)."""
    problems: dict[str, str] = {}
    if referred_on > timezone.localdate():
        problems["referred_on"] = "The referral cannot have been made on a day still to come"
    if response_due < referred_on:
        problems["response_due"] = "The response cannot be due before the referral"
    if problems:
        raise ValidationError(problems)
    # Locked: the same referral sent twice at once is then seen by the second as already made.
    household = Household.objects.select_for_update().get(pk=household.pk)
    # The same referral twice (the form sent again) would share the household's information
    # with the partner a second time and put a second response in the queue.
    made = (
        Referral.objects.filter(
            household=household,
            agency=agency,
            partner=partner,
            referred_on=referred_on,
            reason=reason.strip(),
            response_received_on__isnull=True,
        )
        .select_related("made_by")
        .first()
    )
    if made is not None:
        who = made.made_by.get_full_name() or str(made.made_by)
        raise ValidationError(
            f"The same referral (to {partner or made.get_agency_display()}, on "
            f"{page_date(referred_on)}, for the same reason) was already made by {who} and is "
            f"waiting for its response: it is on the household's page."
        )
    referral = Referral(
        household=household,
        application=application,
        agency=agency,
        partner=partner,
        reason=reason.strip(),
        basis=basis,
        basis_detail=basis_detail.strip(),
        referred_on=referred_on,
        response_due=response_due,
        made_by=by,
    )
    referral.full_clean()
    save(referral, by=by, reason="Referral made")
    work_add(
        key=source_key("referral_response", referral.pk),
        kind="referral_response",
        title=f"Response due from {partner or referral.get_agency_display()} about "
        f"{household_name(household)}",
        due=response_due,
        about=referral,
        by=by,
        assignee=by,
    )
    return referral


@transaction.atomic
def referral_response_record(
    *, referral: Referral, received_on: date, outcome: str, by: AbstractBaseUser
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.response_received_on is not None:
        raise ValidationError("The response has already been recorded.")
    if received_on < referral.referred_on or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": f"Enter a date from {page_date(referral.referred_on)} to today"}
        )
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    referral.response_received_on = received_on
    referral.outcome = outcome.strip()
    save(referral, by=by, reason="Response recorded")
    work_item_complete_for_source(source_key("referral_response", referral.pk), by=by)
    return referral


@transaction.atomic
def case_conference_record(
    *,
    held_on: date,
    staff: list,
    applications: list[Application],
    decisions: str,
    actions: list[dict],
    by: AbstractBaseUser,
    partners_attending: str = "",
) -> CaseConference:
    """The conference and its decisions; each action goes in its owner's queue, as minutes'
    actions do."""
    problems: dict[str, str] = {}
    if held_on > timezone.localdate():
        problems["held_on"] = "The case conference cannot have been held on a day still to come"
    if not applications:
        problems["applications"] = "Choose the cases discussed"
    for number, action in enumerate(actions, start=1):
        if action["due"] and action["due"] < held_on:
            problems[f"action_{number}_due"] = (
                f"Action {number} cannot be due before the conference on {page_date(held_on)}"
            )
    if problems:
        raise ValidationError(problems)
    conference = CaseConference(
        held_on=held_on,
        partners_attending=partners_attending.strip(),
        decisions=decisions.strip(),
        recorded_by=by,
    )
    conference.full_clean()
    save(conference, by=by, reason="Case conference recorded")
    conference.staff.set(staff)
    conference.applications.set(applications)
    for number, action in enumerate(actions, start=1):
        work_add(
            key=source_key("conference_action", conference.pk, number),
            kind="conference_action",
            title=action["title"],
            due=action["due"],
            about=conference,
            by=by,
            assignee=action["owner"],
        )
    return conference
