"""Bedroom-need changes seen coming: the nightly alert ahead of the day, the need recorded on
the day (with history, never silently), and a due date passed with no birth recorded.

Pregnancy is health data: what the queue and the history say about an expected child is "a
change in the household"; only the change's own page names it, to roles that read health data.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.models import Application, BedroomNeedChange, PolicyVersion, Scheme, Vacancy
from allocations.selectors.housekeeping import case_officer
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from allocations.services.assessments import (
    bedroom_need_for,
    household_due_date,
    household_occupants,
)
from allocations.services.nightly import nightly_each
from allocations.services.reminders import work_add
from config.kernel.dates import page_date
from config.kernel.records import save
from config.roles import OFFICER
from projects.work import source_key, work_item_cancel_for_source, work_item_complete_for_source
from residents.selectors import household_name

logger = logging.getLogger(__name__)

# Assessment criteria whose answer depends on how many bedrooms a household needs.
NEED_DEPENDENT_CRITERIA = ("overcrowding", "under_occupying")
HOUSEHOLD_CHANGE_WORDS = "a change in the household"
FORECAST_DAYS = 92  # "every change coming in the next 3 months"


def application_need_changes(
    application: Application, *, policy: PolicyVersion, after: date, until: date
) -> list[rules.NeedChange]:
    household = application.household
    return rules.need_changes(
        household_occupants(household),
        due_date=household_due_date(household),
        standard=policy.policy.bedroom_standard,
        after=after,
        until=until,
    )


def application_pitch_need_changes(
    application: Application, *, policy: PolicyVersion, after: date, until: date
) -> list[rules.NeedChange]:
    """A pitch application's coming pitch-need changes (caravans); none for lettings."""
    if application.scheme != Scheme.PITCH:
        return []
    return rules.pitch_need_changes(
        household_occupants(application.household),
        caravans=application.caravans,
        own_caravan_age=policy.policy.own_caravan_age,
        after=after,
        until=until,
    )


def pitch_need_words(before: int, after: int) -> str:
    """ "2 to 3 caravans (medium to large pitch)"."""
    was, will = rules.pitch_size_for(before), rules.pitch_size_for(after)
    sizes = f"{was} pitch" if was == will else f"{was} to {will} pitch"
    return f"{before} to {after} caravans ({sizes})"


def pitch_need_effects(application: Application, *, after: int) -> list[str]:
    """What the officer should look at: the pitch size recorded, live shortlist places."""
    effects: list[str] = []
    size = rules.pitch_size_for(after)
    if application.pitch_size and application.pitch_size != size:
        effects.append(
            f"The pitch size recorded is {application.get_pitch_size_display().lower()}; with "
            f"{after} caravans the household would need a {size} pitch. Reassess the pitch need "
            "with the household."
        )
    entries = application.shortlist_entries.filter(
        eligible=True, vacancy__status=Vacancy.Status.CLOSED
    ).select_related("vacancy")
    effects += [
        f"Position {entry.position} on {entry.vacancy.reference}'s frozen shortlist: check the "
        "pitch still fits before making an offer."
        for entry in entries
    ]
    return effects


@transaction.atomic
def pitch_need_alert(
    *, application: Application, change: rules.NeedChange, by: AbstractBaseUser
) -> BedroomNeedChange:
    """Record a coming pitch-need change and ask the case officer to reassess (once)."""
    record = BedroomNeedChange.objects.filter(
        application=application, kind=BedroomNeedChange.Kind.PITCH_CHECK, change_on=change.on
    ).first()
    if record is None:
        record = BedroomNeedChange(
            application=application,
            kind=BedroomNeedChange.Kind.PITCH_CHECK,
            change_on=change.on,
            need_before=change.before,
            need_after=change.after,
            reasons=list(change.reasons),
            effects=pitch_need_effects(application, after=change.after),
        )
        save(record, by=by, reason="Pitch need change found ahead of the day")
    work_add(
        key=source_key("need_check", "pitch", record.pk),
        kind="need_check",
        title=(
            f"Pitch need may change on {page_date(change.on)}: "
            f"{pitch_need_words(change.before, change.after)}, "
            f"{household_name(application.household)} "
            f"({'; '.join(change.reasons)})"
        )[:200],
        due=change.on,
        about=record,
        by=by,
        notes="\n".join(record.effects)
        or "Reassess the caravans and pitch size with the household.",
        **_owner(application),
    )
    return record


def need_change_reasons(reasons: list[str] | tuple[str, ...], *, expected_child: bool) -> str:
    """The reasons as the queue and history may show them to anyone who sees the case."""
    if expected_child:
        return HOUSEHOLD_CHANGE_WORDS
    return "; ".join(reasons)


def _fits(vacancy: Vacancy, need: int) -> bool:
    fewest, most = vacancy.min_bedroom_need, vacancy.max_bedroom_need
    return not ((fewest and need < fewest) or (most and need > most))


def need_change_effects(application: Application, *, before: int, after: int) -> list[str]:
    """Where the band, a bid already placed or a live shortlist position would change."""
    effects: list[str] = []
    current = application.assessments.filter(is_current=True).first()
    if current is not None and any(
        word in item.get("code", "")
        for item in current.criteria_met
        for word in NEED_DEPENDENT_CRITERIA
    ):
        effects.append(
            "The band or points may change: the current assessment counts overcrowding or "
            "under-occupation, which depends on the bedroom need. Reassess on the day."
        )
    bids = application.bids.filter(
        withdrawn=False, vacancy__status=Vacancy.Status.ADVERTISED
    ).select_related("vacancy")
    for bid in bids:
        vacancy = bid.vacancy
        was, will = _fits(vacancy, before), _fits(vacancy, after)
        if was != will:
            effects.append(
                f"The bid on {vacancy.reference} "
                + ("would no longer be eligible" if was else "would become eligible")
                + f" with a need of {after} bedroom(s)."
            )
    entries = application.shortlist_entries.filter(
        eligible=True, vacancy__status=Vacancy.Status.CLOSED
    ).select_related("vacancy")
    for entry in entries:
        if not _fits(entry.vacancy, after):
            effects.append(
                f"Position {entry.position} on {entry.vacancy.reference}'s frozen shortlist: "
                f"with a need of {after} bedroom(s) the household would not be eligible for it. "
                "Check before making an offer."
            )
    return effects


def _owner(application: Application) -> dict:
    officer = case_officer(application)
    return {"assignee": officer} if officer is not None else {"role": OFFICER.name}


@transaction.atomic
def need_change_alert(
    *, application: Application, change: rules.NeedChange, by: AbstractBaseUser
) -> BedroomNeedChange:
    """Record a coming change and put it in the case officer's queue (once)."""
    record = BedroomNeedChange.objects.filter(
        application=application, kind=BedroomNeedChange.Kind.CHANGE, change_on=change.on
    ).first()
    if record is None:
        record = BedroomNeedChange(
            application=application,
            kind=BedroomNeedChange.Kind.CHANGE,
            change_on=change.on,
            need_before=change.before,
            need_after=change.after,
            reasons=list(change.reasons),
            expected_child=change.expected_child,
            effects=need_change_effects(application, before=change.before, after=change.after),
        )
        save(record, by=by, reason="Bedroom need change found ahead of the day")
    words = need_change_reasons(change.reasons, expected_child=change.expected_child)
    work_add(
        key=source_key("need_change", record.pk),
        kind="need_change",
        title=(
            f"Bedroom need changes on {page_date(change.on)}: {change.before} to {change.after} "
            f"bedrooms, {household_name(application.household)} ({words})"
        )[:200],
        due=change.on,
        about=record,
        by=by,
        notes="\n".join(record.effects) or "Nothing else depends on it.",
        **_owner(application),
    )
    return record


@transaction.atomic
def need_change_apply(
    *, change: BedroomNeedChange, today: date, by: AbstractBaseUser
) -> BedroomNeedChange:
    """On the day: recompute the need under the policy in force and record it with history."""
    change = BedroomNeedChange.objects.select_for_update().get(pk=change.pk)
    if change.status != BedroomNeedChange.Status.COMING:
        return change
    application = application_locked(change.application)
    key = source_key("need_change", change.pk)
    if application.status != Application.Status.ACTIVE:
        change.status = BedroomNeedChange.Status.NO_LONGER
        save(change, by=by, reason=f"The application is {application.get_status_display().lower()}")
        work_item_cancel_for_source(key, by=by, reason="The application is no longer active")
        return change
    policy = policy_in_force(scheme=application.scheme, on=today)
    need = bedroom_need_for(application.household, policy=policy, on=today)
    if need.bedrooms == application.bedroom_need:
        change.status = BedroomNeedChange.Status.NO_LONGER
        save(change, by=by, reason="The household changed: the need is what is recorded already")
        work_item_cancel_for_source(key, by=by, reason="The bedroom need did not change")
        return change
    before = application.bedroom_need
    words = need_change_reasons(change.reasons, expected_child=change.expected_child)
    application.bedroom_need = need.bedrooms
    save(
        application,
        by=by,
        reason=f"Bedroom need recorded on {page_date(today)}: {before} to {need.bedrooms} "
        f"bedrooms under {policy} ({words})",
    )
    change.need_after = need.bedrooms
    change.status = BedroomNeedChange.Status.APPLIED
    change.applied_on = today
    change.effects = need_change_effects(application, before=before or 0, after=need.bedrooms)
    save(change, by=by, reason="Bedroom need recorded on the day")
    work_item_complete_for_source(key, by=by)
    if change.effects:
        work_add(
            key=source_key("need_check", change.pk),
            kind="need_check",
            title=f"Bedroom need changed for {household_name(application.household)}: "
            "check the band, bids and shortlists",
            due=today,
            about=change,
            by=by,
            **_owner(application),
        )
    return change


@transaction.atomic
def birth_check_raise(
    *, application: Application, due_on: date, by: AbstractBaseUser
) -> BedroomNeedChange:
    """A due date passed with no birth recorded: ask the officer to check (once per date)."""
    need = application.bedroom_need or 0
    record = BedroomNeedChange.objects.filter(
        application=application, kind=BedroomNeedChange.Kind.BIRTH_CHECK, change_on=due_on
    ).first()
    if record is None:
        record = BedroomNeedChange(
            application=application,
            kind=BedroomNeedChange.Kind.BIRTH_CHECK,
            change_on=due_on,
            need_before=need,
            need_after=need,
            reasons=["The expected child's due date has passed with no birth recorded"],
            expected_child=True,
        )
        save(record, by=by, reason="A recorded change in the household is not confirmed")
    work_add(
        key=source_key("need_check", "birth", record.pk),
        kind="need_check",
        title=f"Check the household of {household_name(application.household)}: "
        f"a change expected on {page_date(due_on)} is not recorded",
        due=due_on + timedelta(days=1),
        about=record,
        by=by,
        **_owner(application),
    )
    return record


@transaction.atomic
def need_change_checked(
    *, change: BedroomNeedChange, by: AbstractBaseUser, note: str
) -> BedroomNeedChange:
    """The officer has checked (the band, bids and shortlists; or the birth)."""
    change = BedroomNeedChange.objects.select_for_update().get(pk=change.pk)
    if change.status in {BedroomNeedChange.Status.CHECKED, BedroomNeedChange.Status.NO_LONGER}:
        raise ValidationError("This has already been checked.")
    pitch = change.kind == BedroomNeedChange.Kind.PITCH_CHECK
    if pitch and change.change_on > timezone.localdate():
        raise ValidationError("Reassess the pitch need with the household on or after the day.")
    if change.kind == BedroomNeedChange.Kind.CHANGE and change.status != (
        BedroomNeedChange.Status.APPLIED
    ):
        raise ValidationError("The need is recorded on the day; check it after that.")
    if not note.strip():
        raise ValidationError({"note": "Say what you checked and what you found"})
    change.status = BedroomNeedChange.Status.CHECKED
    save(change, by=by, reason=f"Checked: {note.strip()}")
    work_item_complete_for_source(source_key("need_check", change.pk), by=by)
    work_item_complete_for_source(source_key("need_check", "birth", change.pk), by=by)
    work_item_complete_for_source(source_key("need_check", "pitch", change.pk), by=by)
    return change


def need_changes_run(*, today: date, by: AbstractBaseUser) -> dict[str, int]:
    """The nightly run: alerts ahead, changes on the day, due dates passed. Each application,
    change and check in its own savepoint: one that fails (one household's bad data, say) is
    logged and counted under `need_changes_failed`, and the rest still run."""
    counts = {
        "alerts": 0,
        "applied": 0,
        "birth_checks": 0,
        "pitch_checks": 0,
        "need_changes_failed": 0,
    }
    policies: dict[str, PolicyVersion] = {}

    def alert(application: Application) -> bool:
        if application.scheme not in policies:
            policies[application.scheme] = policy_in_force(scheme=application.scheme, on=today)
        policy = policies[application.scheme]
        window = {
            "policy": policy,
            "after": today - timedelta(days=1),
            "until": today + timedelta(days=policy.policy.need_alert_days),
        }
        raised = []
        if changes := application_need_changes(application, **window):
            need_change_alert(application=application, change=changes[0], by=by)
            raised.append("alerts")
        if pitch_changes := application_pitch_need_changes(application, **window):
            pitch_need_alert(application=application, change=pitch_changes[0], by=by)
            raised.append("pitch_checks")
        due = household_due_date(application.household)
        if due is not None and due < today and policy.policy.bedroom_standard.count_pregnancy:
            birth_check_raise(application=application, due_on=due, by=by)
            raised.append("birth_checks")
        # Counted once all of them are made: a failure part-way counts only as a failure.
        for counted in raised:
            counts[counted] += 1
        return False

    nightly_each(
        "Nightly need changes",
        "the alerts",
        Application.objects.filter(status=Application.Status.ACTIVE)
        .select_related("household")
        .prefetch_related("household__people")
        .order_by("pk"),
        alert,
        counts,
        "alerts",
        failed="need_changes_failed",
    )
    # A change that fails to be recorded is logged and counted; the others are still recorded.
    nightly_each(
        "Nightly need changes",
        "recording the need change",
        BedroomNeedChange.objects.filter(
            kind=BedroomNeedChange.Kind.CHANGE,
            status=BedroomNeedChange.Status.COMING,
            change_on__lte=today,
        ).order_by("pk"),
        lambda change: need_change_apply(change=change, today=today, by=by),
        counts,
        "applied",
        failed="need_changes_failed",
    )

    # A birth check whose due date was cleared (birth recorded, or the evidence corrected).
    def birth_check_clear(check: BedroomNeedChange) -> bool:
        if household_due_date(check.application.household) != check.change_on:
            check.status = BedroomNeedChange.Status.CHECKED
            save(check, by=by, reason="The household's record was updated")
            work_item_complete_for_source(source_key("need_check", "birth", check.pk), by=by)
        return False

    nightly_each(
        "Nightly need changes",
        "clearing the birth check",
        BedroomNeedChange.objects.filter(
            kind=BedroomNeedChange.Kind.BIRTH_CHECK, status=BedroomNeedChange.Status.COMING
        )
        .select_related("application__household")
        .order_by("pk"),
        birth_check_clear,
        counts,
        "birth_checks",
        failed="need_changes_failed",
    )
    return counts


def need_changes_forecast(*, today: date, days: int = FORECAST_DAYS) -> list[dict]:
    """Every change of need coming in the next `days` (3 months), for the report: bedroom
    needs, and pitch needs (`pitch`: caravans, for the officer to reassess).

    An application whose household's records cannot be worked through (a person born after
    a day their need is worked out for, a due date too far ahead) is listed first, with
    `change` None and `problem` saying why it could not be checked (`problem_health` when
    the reason is the expected child's due date, health data), rather than left out."""
    rows: list[dict] = []
    problems: list[dict] = []
    policies: dict[str, PolicyVersion] = {}
    applications = (
        Application.objects.filter(status=Application.Status.ACTIVE)
        .select_related("household")
        .prefetch_related("household__people")
        .order_by("reference")
    )
    for application in applications:
        if application.scheme not in policies:
            policies[application.scheme] = policy_in_force(scheme=application.scheme, on=today)
        try:
            changes = application_need_changes(
                application,
                policy=policies[application.scheme],
                after=today - timedelta(days=1),
                until=today + timedelta(days=days),
            )
        except ValueError as error:
            problems.append(
                {
                    "application": application,
                    "change": None,
                    "pitch": False,
                    "problem": str(error),
                    "problem_health": _need_changes_check_without_due_date(
                        application, policy=policies[application.scheme], today=today, days=days
                    ),
                }
            )
            continue
        rows += [
            {"application": application, "change": change, "pitch": False} for change in changes
        ]
        rows += [
            {"application": application, "change": change, "pitch": True}
            for change in application_pitch_need_changes(
                application,
                policy=policies[application.scheme],
                after=today - timedelta(days=1),
                until=today + timedelta(days=days),
            )
        ]
    return problems + sorted(rows, key=lambda row: (row["change"].on, row["application"].reference))


def _need_changes_check_without_due_date(
    application: Application, *, policy: PolicyVersion, today: date, days: int
) -> bool:
    """Whether the household's need changes work out once its expected child's due date is
    left out: the problem is then the due date (health data)."""
    if household_due_date(application.household) is None:
        return False
    try:
        rules.need_changes(
            household_occupants(application.household),
            due_date=None,
            standard=policy.policy.bedroom_standard,
            after=today - timedelta(days=1),
            until=today + timedelta(days=days),
        )
    except ValueError:
        return False
    return True
