"""Bidding cycles: made from the policy's week, adverts published into them, closed (every
shortlist frozen) by the scheduled task at the close or by an officer for a past cycle."""

from __future__ import annotations

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
from allocations.selectors.policies import policy_in_force
from allocations.services.freezing import shortlists_freeze
from allocations.services.lettings import vacancy_withdraw
from config.kernel.dates import page_date, page_moment
from config.kernel.files import upload_content_type
from config.kernel.records import reason_required, save


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
    reference = f"C-{opens_on:%Y-%m-%d}"
    if BiddingCycle.objects.filter(reference=reference).exists():
        raise ValidationError(
            {"opens_on": f"There is already a cycle opening on that day ({reference})."}
        )
    if BiddingCycle.objects.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).exists():
        raise ValidationError({"opens_on": "That week overlaps another cycle."})
    cycle = BiddingCycle(reference=reference, opens_at=opens_at, closes_at=closes_at)
    save(cycle, by=by, reason="Bidding cycle created")
    return cycle


def cycle_next_create(*, by: AbstractBaseUser, after: datetime | None = None) -> BiddingCycle:
    """The next cycle to open on or after a moment (default now)."""
    on = timezone.localdate(after or timezone.now())
    return cycle_create(opens_on=cycle_times(on).next_opening_on(on), by=by)


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
        vacancy.parish = vacancy.unit.site.parish
    if not vacancy.area:
        vacancy.area = vacancy.unit.site.town
    save(vacancy, by=by, reason=f"Published into {cycle}")
    return vacancy


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
    transaction, claimed with SKIP LOCKED so two runs never freeze the same cycle."""
    closed: list[str] = []
    while True:
        with transaction.atomic():
            cycle = (
                BiddingCycle.objects.select_for_update(skip_locked=True)
                .filter(frozen_at__isnull=True, closes_at__lt=timezone.now().replace(microsecond=0))
                .order_by("closes_at")
                .first()
            )
            if cycle is None:
                return closed
            _cycle_freeze(cycle, by=by, reason="Closed at the end of the cycle")
            closed.append(cycle.reference)


# --- Local connection per home ------------------------------------------------------------


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
    connection = HouseholdConnection(
        household=household,
        kind=kind,
        parish=parish.strip(),
        since=since,
        evidence_seen=evidence_seen,
        evidence=evidence,
    )
    if since > timezone.localdate():
        raise ValidationError({"since": "The connection cannot start in the future"})
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
