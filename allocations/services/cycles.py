"""Bidding cycles: made from the policy's week, adverts published into them, closed (every
shortlist frozen) by the scheduled task at the close or by an officer for a past cycle."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.lifecycles import VACANCY
from allocations.models import (
    AdvertPhoto,
    BiddingCycle,
    HouseholdConnection,
    Scheme,
    Vacancy,
)
from allocations.selectors.policies import local_connection_in_force, policy_in_force
from allocations.services.autobids import auto_bids_place
from allocations.services.freezing import shortlists_freeze
from allocations.services.lettings import vacancy_withdraw
from allocations.services.reminders import work_add
from config.history import system_user
from config.kernel.dates import page_date, page_moment
from config.kernel.files import upload_content_type
from config.kernel.records import reason_required, save, save_unique
from config.roles import TEAM_LEADER
from projects.work import source_key, work_item_complete_for_source

logger = logging.getLogger(__name__)


def cycle_times(on: date) -> rules.CycleTimes:
    """The week of the choice-based lettings policy in force on a day."""
    return policy_in_force(scheme=Scheme.CBL, on=on).policy.lettings.cycle


@transaction.atomic
def cycle_create(*, opens_on: date, by: AbstractBaseUser) -> BiddingCycle:
    """The cycle opening on `opens_on` (which must be the policy's opening weekday)."""
    times = cycle_times(opens_on)
    if opens_on.weekday() != times.opens_weekday:
        raise ValidationError(
            {"opens_on": f"Cycles open on a {rules.WEEKDAYS[times.opens_weekday]}."}
        )
    opens_at, closes_at = times.window_from(opens_on)
    if closes_at <= timezone.now():
        # Its adverts could take no bids: a home is published into a cycle still to come or
        # open (a past cycle's shortlists are frozen by its close, not made afterwards).
        raise ValidationError(
            {
                "opens_on": f"That week's cycle would have closed at {page_moment(closes_at)}: "
                "create a cycle for this week or one still to come."
            }
        )
    reference = cycle_reference(opens_on)
    taken = {"opens_on": f"There is already a cycle opening on that day ({reference})."}
    if BiddingCycle.objects.filter(reference=reference).exists():
        raise ValidationError(taken)
    if BiddingCycle.objects.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).exists():
        raise ValidationError({"opens_on": "That week overlaps another cycle."})
    cycle = BiddingCycle(reference=reference, opens_at=opens_at, closes_at=closes_at)
    # The same cycle made by someone else at the same moment, after the checks above: the
    # same refusal, nothing written.
    save_unique(cycle, by=by, reason="Bidding cycle created", refusals={"reference": taken})
    return cycle


def cycle_reference(opens_on: date) -> str:
    """A cycle is named by the day it opens (one cycle a day at most: the reference is unique)."""
    return f"C-{opens_on:%Y-%m-%d}"


def cycle_next_create(*, by: AbstractBaseUser, after: datetime | None = None) -> BiddingCycle:
    """The next cycle to open on or after a moment (default now); made by someone else at the
    same moment (two homes re-advertised at once), it is theirs, not a second one or an error."""
    on = timezone.localdate(after or timezone.now())
    opens_on = cycle_times(on).next_opening_on(on)
    try:
        return cycle_create(opens_on=opens_on, by=by)
    except ValidationError:
        # Refused because that week's cycle is there now: made by someone else after the
        # caller looked for one (before this one's checks, or after them and before its
        # insert). A cycle that was there already, and closed, is refused as it was.
        made = BiddingCycle.objects.filter(
            reference=cycle_reference(opens_on), frozen_at__isnull=True
        ).first()
        if made is None:
            raise
        return made


@transaction.atomic
def advert_publish(*, vacancy: Vacancy, cycle: BiddingCycle, by: AbstractBaseUser) -> Vacancy:
    """Publish a draft choice-based lettings advert into a cycle: it takes bids while the cycle
    is open and closes with it (its dates are the cycle's, in UK time)."""
    vacancy = Vacancy.objects.select_for_update().select_related("unit__site").get(pk=vacancy.pk)
    cycle = BiddingCycle.objects.select_for_update().get(pk=cycle.pk)
    if vacancy.scheme != Scheme.CBL:
        raise ValidationError("Only choice-based lettings adverts are published into a cycle.")
    if vacancy.unit.extra_care:
        raise ValidationError(
            f"{vacancy.unit} is an Extra Care home: it is offered from the Extra Care panel's "
            "ranking, not published for bids."
        )
    if cycle.phase not in (BiddingCycle.Phase.UPCOMING, BiddingCycle.Phase.OPEN):
        raise ValidationError(f"{cycle} has closed; publish into a cycle still to come.")
    VACANCY.move(
        vacancy, Vacancy.Status.ADVERTISED, refusal="Only a draft advert can be published."
    )
    vacancy.cycle = cycle
    vacancy.opens_on = timezone.localdate(cycle.opens_at)
    vacancy.closes_on = timezone.localdate(cycle.closes_at)
    if not vacancy.parish:
        vacancy.parish = _site_parish(vacancy, on=vacancy.closes_on)
    if not vacancy.area:
        vacancy.area = vacancy.unit.site.town
    save(vacancy, by=by, reason=f"Published into {cycle}")
    if cycle.auto_bids_placed_at is not None and cycle.phase == BiddingCycle.Phase.OPEN:
        # Published after the auto-bidder ran at the opening: it bids for this home now for
        # the households it bids for that still have bids left this cycle.
        auto_bids_place(cycle=cycle, by=system_user(), adverts=[vacancy])
    return vacancy


def _site_parish(vacancy: Vacancy, *, on: date) -> str:
    """The parish an advert takes from its site, as the lettings policy in force at its close
    (the one its shortlist is ranked under) spells it. Where that policy lists the council's
    parishes, a site's parish it does not name is refused: every bid would otherwise be tier
    3 for a home in its own parish. (A parish already on the advert, copied from one published
    before, is kept: a home re-advertised at a cycle's close must not stop the close.)"""
    site = vacancy.unit.site
    if not site.parish.strip():
        return ""
    local = local_connection_in_force(on=on)
    named = local.parish_named(site.parish)
    if named is None:
        raise ValidationError(
            f"{site.parish.strip()}, the parish of {site}, is not a parish in the lettings "
            "policy: correct the site's parish to one in the policy's list "
            f"({', '.join(local.parishes)}), then publish the advert."
        )
    return named


@transaction.atomic
def advert_withdraw(*, vacancy: Vacancy, reason: str, by: AbstractBaseUser) -> Vacancy:
    """Take an advert out of its cycle before the close: it takes no more bids. The one
    withdraw path (`vacancy_withdraw`) records the reason and puts the unit back to void."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.ADVERTISED:
        raise ValidationError("Only an advertised home can be withdrawn from its cycle.")
    return vacancy_withdraw(vacancy=vacancy, reason=reason, by=by)


def advert_photo_add(
    *, vacancy: Vacancy, upload, description: str, by: AbstractBaseUser
) -> AdvertPhoto:
    """A photo of the home, kept privately, shown on the advert."""
    if upload_content_type(upload) not in ("image/jpeg", "image/png"):
        raise ValidationError({"file": "A photo must be a JPEG or PNG image"})
    photo = AdvertPhoto(vacancy=vacancy, description=description, uploaded_by=by)
    photo.keep(upload)
    save(photo, by=by, reason="Photo added to the advert")
    return photo


def _cycle_freeze(cycle: BiddingCycle, *, by: AbstractBaseUser, reason: str) -> list[Vacancy]:
    # An advert with a direct let waiting for a team leader stays open: approved, the direct
    # let closes it; declined, an officer freezes its shortlist from its page.
    adverts = list(
        Vacancy.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, status=Vacancy.Status.ADVERTISED)
        .select_related("unit", "local_lettings_plan")
        .exclude(direct_lets__status="proposed")
        .order_by("pk")
    )
    shortlists_freeze(adverts, by=by)
    for advert in adverts:
        if advert.unit.provider_id is not None:
            _provider_home_nominate(advert, by=by)
    cycle.frozen_at = timezone.now()
    cycle.frozen_by = by
    save(cycle, by=by, reason=reason)
    work_item_complete_for_source(source_key("cycle_not_closed", cycle.pk), by=by)
    return adverts


def _provider_home_nominate(vacancy: Vacancy, *, by: AbstractBaseUser) -> None:
    """At the close a registered provider's home is nominated from its frozen shortlist, the
    first in order; with nobody to nominate it goes into the next cycle, saying why."""
    from allocations.services.nominations import nomination_next, vacancy_readvertise

    if nomination_next(vacancy=vacancy, by=by) is None:
        vacancy_readvertise(
            vacancy=vacancy, reason="nobody on the frozen shortlist could be nominated", by=by
        )


@transaction.atomic
def cycle_close(*, cycle: BiddingCycle, by: AbstractBaseUser, reason: str) -> list[Vacancy]:
    """An officer closes a cycle that has passed (the scheduled task missed it, say): every
    advert's shortlist is frozen under the policy in force on its closing date."""
    reason = reason_required(reason)
    cycle = BiddingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.frozen_at:
        raise ValidationError("This cycle is already closed and its shortlists frozen.")
    if cycle.phase != BiddingCycle.Phase.CLOSING:
        raise ValidationError(
            f"This cycle is still taking bids until {page_moment(cycle.closes_at)}: it can "
            "only be closed after that."
        )
    cycle.close_reason = reason
    return _cycle_freeze(cycle, by=by, reason=f"Closed by an officer: {reason}")


def cycles_close_due(*, by: AbstractBaseUser) -> list[str]:
    """The scheduled task: freeze every shortlist of each cycle past its close, one cycle per
    transaction, claimed with SKIP LOCKED so two runs never freeze the same cycle.

    A cycle that cannot close (no lettings policy in force on its closing day, say) writes
    nothing, is put in the team leaders' queue saying why, and is passed over for the rest of
    the run, so the cycles after it still close; the next run tries it again."""
    closed: list[str] = []
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            cycle = (
                BiddingCycle.objects.select_for_update(skip_locked=True)
                .filter(frozen_at__isnull=True, closes_at__lt=timezone.now().replace(microsecond=0))
                .exclude(pk__in=failed)
                .order_by("closes_at")
                .first()
            )
            if cycle is None:
                return closed
            try:
                with transaction.atomic():
                    _cycle_freeze(cycle, by=by, reason="Closed at the end of the cycle")
            except ValidationError as error:
                failed.add(cycle.pk)
                _cycle_not_closed(cycle, why=" ".join(error.messages), by=by)
                continue
            except Exception:
                # Anything else is a fault, not a rule: the trace is logged for administrators.
                logger.exception("Bidding cycle %s could not close", cycle.reference)
                failed.add(cycle.pk)
                _cycle_not_closed(
                    cycle, why="an unexpected error, logged for the administrators", by=by
                )
                continue
            closed.append(cycle.reference)


def _cycle_not_closed(cycle: BiddingCycle, *, why: str, by: AbstractBaseUser) -> None:
    """Tell the team leaders, once, that a cycle past its close could not be closed, and why."""
    logger.warning("Bidding cycle %s could not close: %s", cycle.reference, why)
    work_add(
        key=source_key("cycle_not_closed", cycle.pk),
        kind="cycle_not_closed",
        title=f"{cycle} could not close: {why}"[:200],
        due=timezone.localdate(),
        about=cycle,
        by=by,
        role=TEAM_LEADER.name,
    )


# --- Local connection per home ------------------------------------------------------------


def connection_record_problems(*, parish: str | None, since: date | None) -> dict[str, str]:
    """Every refusal of `connection_record` at once, without writing. A value not known
    (None) is not checked."""
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if refusal := local_connection_in_force(on=today).parish_refusal(parish):
        problems["parish"] = refusal
    if since is not None and since > today:
        problems["since"] = "The connection cannot start in the future"
    return problems


@transaction.atomic
def connection_record(
    *,
    household,
    kind: str,
    parish: str,
    since: date,
    evidence_seen: str,
    by: AbstractBaseUser,
    evidence=None,
) -> HouseholdConnection:
    """Record a household's connection to a parish. Where the lettings policy in force lists
    the council's parishes, the parish must be one of them (kept as the policy spells it)."""
    problems = connection_record_problems(parish=parish, since=since)
    if problems:
        raise ValidationError(problems)
    local = local_connection_in_force(on=timezone.localdate())
    connection = HouseholdConnection(
        household=household,
        kind=kind,
        parish=local.parish_named(parish) or parish.strip(),
        since=since,
        evidence_seen=evidence_seen,
        evidence=evidence,
    )
    save(connection, by=by, reason="Local connection recorded")
    return connection


# The history's change reason of an ended connection, before the officer's words (the
# migration that added HouseholdConnection.end_reason read them back from it).
CONNECTION_ENDED = "Local connection ended: "


@transaction.atomic
def connection_end(
    *,
    connection: HouseholdConnection,
    ended_on: date,
    reason: str,
    by: AbstractBaseUser,
) -> HouseholdConnection:
    """End a household's connection (it moved away, left the job): it counts for the tier up
    to and including `ended_on`, and is kept, with who ended it and why in its history."""
    reason = reason_required(reason)
    connection = HouseholdConnection.objects.select_for_update().get(pk=connection.pk)
    if connection.ended_on:
        raise ValidationError(
            f"This connection to {connection.parish} already ended on "
            f"{page_date(connection.ended_on)}; it was not changed."
        )
    if ended_on < connection.since:
        raise ValidationError(
            {
                "ended_on": f"The connection cannot end before it started "
                f"({page_date(connection.since)})"
            }
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The date the connection ended cannot be in the future"})
    connection.ended_on = ended_on
    connection.end_reason = reason
    save(connection, by=by, reason=f"{CONNECTION_ENDED}{reason}")
    return connection
