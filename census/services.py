"""Every write of the census: rounds, returns (saved part-done, then submitted), the
reconciliation of a submitted return with the records, applying or dismissing each
difference, caravan counts, and the reminders of rounds and returns running late.

Work for people goes through projects.services (work_item_create /
work_item_complete_for_source, keys from source_key):
a follow-up task per difference for the officer who visited, and a suspected breach for the
sites manager where census/rules.py says so. Every save records who and why.
"""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from census import rules
from census.lifecycles import DIFFERENCE, RETURN, ROUND
from census.models import (
    CensusDifference,
    CensusReturn,
    CensusRound,
    NewPerson,
    ReturnOccupant,
)
from config.kernel import dates, records
from config.roles import OFFICER, SITES_MANAGER
from projects.models import WorkItem
from projects.services import (
    source_key,
    work_item_complete_for_source,
    work_item_create,
    work_items_close_for_prefix,
    work_kind_label,
)
from residents.models import Breach, Licence, LicenceOccupant
from residents.services import breach_raise, unauthorised_occupant_record
from sites.models import Site, Unit

# The census's kinds of work (registered in projects.work.WORK_KINDS with their labels).
FOLLOW_UP = "census_follow_up"
FOLLOW_UP_LABEL = work_kind_label(FOLLOW_UP)
# Within the work queue's one-week horizon, so the work shows on the officer's home page.
FOLLOW_UP_DAYS = 7
SUSPECTED_BREACH = "suspected_breach"
SUSPECTED_BREACH_LABEL = work_kind_label(SUSPECTED_BREACH)
SUSPECTED_BREACH_DAYS = 5
ROUND_NOT_STARTED = "census_round_not_started"
RETURNS_OUTSTANDING = "census_returns_outstanding"

RETURN_FIELDS = {
    "holder_present",
    "caravans",
    "amenity_block_condition",
    "notes",
    "visited_on",
    "officer",
    "second_officer",
}


# --- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *, year: int, planned_start: date, deadline: date, sites, by: AbstractBaseUser
) -> CensusRound:
    """Plan a year's census on the chosen sites."""
    sites = list(sites)
    if not sites:
        raise ValidationError({"sites": "Choose at least one site"})
    if CensusRound.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is already a census round for {year}"})
    census_round = CensusRound(
        year=year, planned_start=planned_start, deadline=deadline, created_by=by
    )
    # The sites are a many-to-many the history does not follow: name them in the reason.
    names = ", ".join(sorted(site.name for site in sites))
    # The same round planned twice at once (a double press): the database keeps one.
    records.save_unique(
        census_round,
        by=by,
        reason=f"Round planned for: {names}",
        refusals={"year": {"year": f"There is already a census round for {year}"}},
    )
    census_round.sites.set(sites)
    return census_round


PITCH_KINDS = (Unit.Kind.PITCH, Unit.Kind.TRANSIT_PITCH)


@transaction.atomic
def round_start(*, census_round: CensusRound, by: AbstractBaseUser) -> CensusRound:
    """Make a return for every pitch on the round's sites, pre-filled from the records:
    transit pitches too, as the census checks every pitch on every site (and who lives on
    it, under whatever licence)."""
    census_round = CensusRound.objects.select_for_update().get(pk=census_round.pk)
    refusal = f"{census_round} has already started."
    if not ROUND.can_move(census_round, CensusRound.Status.STARTED):
        raise ValidationError(refusal)
    today = timezone.localdate()
    pitches = (
        Unit.objects.filter(site__in=census_round.sites.all(), kind__in=PITCH_KINDS)
        .select_related("site")
        .order_by("site__name", "reference")
    )
    if not pitches:
        raise ValidationError(f"The sites in {census_round} have no pitches to visit.")
    live = {
        licence.unit_id: licence
        for licence in Licence.objects.filter(
            unit__in=pitches, status=Licence.Status.LIVE, start_date__lte=today
        ).filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
    }
    for unit in pitches:
        licence = live.get(unit.pk)
        census_return = CensusReturn(
            round=census_round,
            unit=unit,
            licence=licence,
            amenity_block_condition=unit.amenity_block_condition,
        )
        records.save(census_return, by=by, reason="Pre-filled from the records")
        if licence is None:
            continue
        occupants = licence.occupants.filter(
            role=LicenceOccupant.Role.OCCUPANT, to_date__isnull=True
        )
        for licence_occupant in occupants:
            records.save(
                ReturnOccupant(census_return=census_return, licence_occupant=licence_occupant),
                by=by,
                reason="Pre-filled from the licence",
            )
    ROUND.move(census_round, CensusRound.Status.STARTED, refusal=refusal)
    census_round.started_on = today
    records.save(census_round, by=by, reason="Round started")
    work_item_complete_for_source(source_key(ROUND_NOT_STARTED, census_round.pk), by=by)
    return census_round


@transaction.atomic
def round_close(*, census_round: CensusRound, by: AbstractBaseUser) -> CensusRound:
    """Close a round once every return is in; its returns can no longer change."""
    census_round = CensusRound.objects.select_for_update().get(pk=census_round.pk)
    refusal = f"Only a started round can be closed: {census_round} is not."
    if not ROUND.can_move(census_round, CensusRound.Status.CLOSED):
        raise ValidationError(refusal)
    outstanding = census_round.returns.exclude(status=CensusReturn.Status.SUBMITTED).count()
    if outstanding:
        raise ValidationError(
            f"{outstanding} return{'s' if outstanding != 1 else ''} still to be submitted: "
            "the round cannot be closed yet."
        )
    ROUND.move(census_round, CensusRound.Status.CLOSED, refusal=refusal)
    records.save(census_round, by=by, reason="Round closed")
    work_items_close_for_prefix(source_key(RETURNS_OUTSTANDING, census_round.pk), by=by)
    return census_round


# --- Returns ---------------------------------------------------------------------------------


def _editable(census_return: CensusReturn) -> CensusReturn:
    census_return = (
        CensusReturn.objects.select_for_update(of=("self",))
        .select_related("round", "licence", "unit")
        .get(pk=census_return.pk)
    )
    if census_return.round.status != CensusRound.Status.STARTED:
        raise ValidationError(f"{census_return.round} is not open for returns.")
    if census_return.is_submitted:
        raise ValidationError("This return has been submitted and can no longer be changed.")
    return census_return


@transaction.atomic
def return_save(
    *,
    census_return: CensusReturn,
    by: AbstractBaseUser,
    findings: dict[int, str] | None = None,
    new_people: list[dict] | None = None,
    **fields,
) -> CensusReturn:
    """Save what has been typed so far; nothing needs to be complete until it is submitted.

    `findings` maps ReturnOccupant ids to a finding ("" for not answered yet); `new_people`
    is the full list of new people found ({"name", "approximate_age"}), replacing the last.
    """
    unknown = set(fields) - RETURN_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    census_return = _editable(census_return)
    for name, value in fields.items():
        setattr(census_return, name, value)
    if census_return.status == CensusReturn.Status.NOT_STARTED:
        RETURN.move(census_return, CensusReturn.Status.IN_PROGRESS)
    records.save(census_return, by=by, reason="Saved part-done")
    for occupant in census_return.occupants.all():
        finding = (findings or {}).get(occupant.pk)
        if finding is not None and finding != occupant.finding:
            occupant.finding = finding
            records.save(occupant, by=by, reason="Census finding")
    if new_people is not None:
        kept = list(census_return.new_people.order_by("pk"))
        wanted = [p for p in new_people if (p.get("name") or "").strip()]
        for index, person in enumerate(wanted):
            row = kept[index] if index < len(kept) else NewPerson(census_return=census_return)
            name, age = person["name"].strip(), person.get("approximate_age")
            if row.pk is None or (row.name, row.approximate_age) != (name, age):
                row.name, row.approximate_age = name, age
                records.save(row, by=by, reason="New person found in the census")
        for row in kept[len(wanted) :]:
            records.history_stamp(
                row, by=by, reason="Removed from the census return before it was submitted"
            )
            row.delete()
    return census_return


def _round_began(census_round: CensusRound) -> date:
    """The first day a visit of the round can be on: its planned start, or the day it was
    started if that was earlier."""
    return min(day for day in (census_round.planned_start, census_round.started_on) if day)


def _found(census_return: CensusReturn) -> rules.Found:
    occupants = tuple(
        (o.licence_occupant_id, str(o.licence_occupant.person), o.finding)
        for o in census_return.occupants.select_related("licence_occupant__person")
    )
    new_people = tuple(
        (p.pk, p.name, p.approximate_age) for p in census_return.new_people.order_by("pk")
    )
    return rules.Found(
        has_licence=census_return.licence_id is not None,
        holder_present=census_return.holder_present,
        occupants=occupants,
        new_people=new_people,
    )


@transaction.atomic
def return_submit(*, census_return: CensusReturn, by: AbstractBaseUser) -> CensusReturn:
    """Submit a complete return and reconcile it with the records.

    Each difference is recorded and becomes a follow-up task for the officer who visited
    (and a suspected breach for the sites manager where census/rules.py says so).
    """
    census_return = _editable(census_return)
    found = _found(census_return)
    missing = rules.missing_answers(
        found,
        visited_on=census_return.visited_on,
        officer=census_return.officer,
        second_officer=census_return.second_officer,
        caravans=census_return.caravans,
    )
    if missing:
        # Occupant questions are named by their ReturnOccupant, as the form names them.
        by_licence_occupant = {o.licence_occupant_id: o.pk for o in census_return.occupants.all()}
        errors = {}
        for field, message in missing.items():
            if field.startswith("occupant_"):
                field = f"occupant_{by_licence_occupant[int(field.split('_')[1])]}"
            errors[field] = message
        raise ValidationError(errors)
    if census_return.visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "The date of the visit must be today or earlier"})
    # A visit before the round began is a mistyped date: it would end an occupant's place on
    # the licence on that day when the difference is applied.
    began = _round_began(census_return.round)
    if census_return.visited_on < began:
        raise ValidationError(
            {
                "visited_on": f"The date of the visit must be on or after "
                f"{dates.page_date(began)}, when {census_return.round} began"
            }
        )
    RETURN.move(census_return, CensusReturn.Status.SUBMITTED)
    census_return.submitted_at = timezone.now()
    census_return.submitted_by = by
    records.save(census_return, by=by, reason="Submitted")
    for found_difference in rules.differences(found):
        _difference_record(census_return, found_difference, by=by)
    _outstanding_reminder_complete(census_return, by=by)
    return census_return


def _difference_record(
    census_return: CensusReturn, found: rules.Difference, *, by: AbstractBaseUser
) -> CensusDifference:
    difference = CensusDifference(
        census_return=census_return,
        kind=found.kind,
        licence_occupant_id=found.licence_occupant_id,
        new_person_id=found.new_person_id,
        description=found.description,
        suspected_breach=found.suspected_breach,
    )
    records.save(difference, by=by, reason="Found when the return was submitted")
    unit = census_return.unit
    where = str(unit)
    today = timezone.localdate()
    owner = (
        {"assignee": census_return.officer}
        if census_return.officer and census_return.officer.is_active
        else {"role": OFFICER.name}
    )
    work_item_create(
        kind=FOLLOW_UP,
        kind_label=FOLLOW_UP_LABEL,
        title=f"Census {census_return.round.year}, {where}: {difference.description}",
        due=today + timedelta(days=FOLLOW_UP_DAYS),
        about=difference,
        source_key=source_key(FOLLOW_UP, difference.pk),
        by=by,
        **owner,
    )
    if difference.suspected_breach:
        _suspected_breach_raise(census_return, difference, by=by)
    return difference


# What the census found, as the licence-breach category the sites manager works with.
BREACH_CATEGORY = {
    CensusDifference.Kind.NEW_OCCUPANT: Breach.Category.UNAUTHORISED_OCCUPANT,
    CensusDifference.Kind.HOLDER_ABSENT: Breach.Category.NOT_MAIN_RESIDENCE,
}


def _suspected_breach_raise(census_return, difference: CensusDifference, *, by) -> None:
    """A suspected breach reaches the sites manager: as a licence breach (their queue and an
    email, residents.services.breach_raise) when the pitch has a live licence, otherwise as
    work in the sites managers' queue."""
    licence = census_return.licence
    if licence is not None and licence.status == Licence.Status.LIVE:
        breach_raise(
            licence=licence,
            category=BREACH_CATEGORY.get(difference.kind, Breach.Category.OTHER),
            observed_on=census_return.visited_on or timezone.localdate(),
            description=f"Census {census_return.round.year}: {difference.description}",
            by=by,
        )
        return
    work_item_create(
        kind=SUSPECTED_BREACH,
        kind_label=SUSPECTED_BREACH_LABEL,
        title=f"Suspected breach at {census_return.unit} (census {census_return.round.year}): "
        f"{difference.description}",
        due=timezone.localdate() + timedelta(days=SUSPECTED_BREACH_DAYS),
        about=difference,
        role=SITES_MANAGER.name,
        priority=WorkItem.Priority.HIGH,
        source_key=source_key(SUSPECTED_BREACH, difference.pk),
        by=by,
    )


def _resolvable(difference: CensusDifference) -> CensusDifference:
    difference = (
        CensusDifference.objects.select_for_update(of=("self",))
        .select_related("census_return__round", "census_return__unit__site")
        .get(pk=difference.pk)
    )
    if DIFFERENCE.is_final(difference.status):
        raise ValidationError(
            f"This difference has already been {difference.get_status_display().lower()}."
        )
    return difference


def _resolve(
    difference: CensusDifference, *, status: str, reason: str, by: AbstractBaseUser
) -> CensusDifference:
    DIFFERENCE.move(difference, status)
    difference.resolution_reason = reason
    difference.resolved_by = by
    difference.resolved_at = timezone.now()
    verb = "Applied to the records" if status == CensusDifference.Status.APPLIED else "Dismissed"
    records.save(difference, by=by, reason=f"{verb}: {reason}")
    work_item_complete_for_source(source_key(FOLLOW_UP, difference.pk), by=by)
    work_item_complete_for_source(source_key(SUSPECTED_BREACH, difference.pk), by=by)
    return difference


@transaction.atomic
def difference_apply(
    *, difference: CensusDifference, reason: str, by: AbstractBaseUser
) -> CensusDifference:
    """Change the records to match what the census found: an audited action, done once.

    An occupant who moved out stops being named on the licence from the day of the visit;
    a new person found is recorded as an unauthorised occupant of the pitch.
    """
    reason = records.reason_required(reason)
    difference = _resolvable(difference)
    census_return = difference.census_return
    history_reason = f"Census {census_return.round.year}: {reason}"
    if difference.kind == CensusDifference.Kind.OCCUPANT_GONE:
        occupant = LicenceOccupant.objects.select_for_update().get(
            pk=difference.licence_occupant_id
        )
        if occupant.to_date is not None:
            raise ValidationError(
                f"{occupant.person} is already recorded as having left on "
                f"{dates.page_date(occupant.to_date)}."
            )
        if census_return.visited_on <= occupant.from_date:
            raise ValidationError(
                f"{occupant.person} was only named on the licence from "
                f"{dates.page_date(occupant.from_date)}, after the visit: check the records."
            )
        occupant.to_date = census_return.visited_on
        records.save(occupant, by=by, reason=history_reason)
    elif difference.kind == CensusDifference.Kind.NEW_OCCUPANT:
        # Through the residents' service, as from a visit: its checks (one open record per
        # person on the pitch, the licence live), who found them and the officer's follow-up.
        person = difference.new_person
        difference.unauthorised_occupant = unauthorised_occupant_record(
            unit=census_return.unit,
            licence=census_return.licence,
            name=person.name,
            approximate_age=person.approximate_age,
            found_on=census_return.visited_on,
            found_by=census_return.officer,
            where_found=f"census {census_return.round.year}",
            notes=reason,
            reason=history_reason,
            by=by,
        )
    else:
        raise ValidationError(
            "Nothing in the records changes for this difference: follow it up, then dismiss "
            "it with what was found."
        )
    return _resolve(difference, status=CensusDifference.Status.APPLIED, reason=reason, by=by)


@transaction.atomic
def difference_dismiss(
    *, difference: CensusDifference, reason: str, by: AbstractBaseUser
) -> CensusDifference:
    """Close a difference without changing the records (a mistake, or followed up elsewhere)."""
    reason = records.reason_required(reason)
    difference = _resolvable(difference)
    return _resolve(difference, status=CensusDifference.Status.DISMISSED, reason=reason, by=by)


# --- Reminders -------------------------------------------------------------------------------


def _outstanding_reminder_complete(census_return: CensusReturn, *, by) -> None:
    site_id = census_return.unit.site_id
    left = (
        census_return.round.returns.filter(unit__site_id=site_id)
        .exclude(status=CensusReturn.Status.SUBMITTED)
        .exists()
    )
    if left:
        return
    work_item_complete_for_source(
        source_key(RETURNS_OUTSTANDING, census_return.round_id, site_id), by=by
    )


@transaction.atomic
def census_reminders(*, today: date, by: AbstractBaseUser) -> list[WorkItem]:
    """Work for officers when a round has not started by its planned date, and for each site
    with returns outstanding after the deadline. Idempotent (one item per round or site);
    projects' reminders then tell the officers, and remind them while the work is overdue.
    """
    items = []
    for census_round in CensusRound.objects.filter(
        status=CensusRound.Status.PLANNED, planned_start__lt=today
    ):
        items.append(
            work_item_create(
                kind=ROUND_NOT_STARTED,
                kind_label=work_kind_label(ROUND_NOT_STARTED),
                title=f"{census_round} was planned to start on "
                f"{dates.page_date(census_round.planned_start)} and has not started",
                due=census_round.planned_start,
                about=census_round,
                role=OFFICER.name,
                priority=WorkItem.Priority.HIGH,
                source_key=source_key(ROUND_NOT_STARTED, census_round.pk),
                by=by,
            )
        )
    late = (
        CensusReturn.objects.filter(
            round__status=CensusRound.Status.STARTED, round__deadline__lt=today
        )
        .exclude(status=CensusReturn.Status.SUBMITTED)
        .values("round", "unit__site")
        .annotate(outstanding=Count("pk"))
        .order_by("round", "unit__site")
    )
    rounds = CensusRound.objects.in_bulk({row["round"] for row in late})
    sites = Site.objects.in_bulk({row["unit__site"] for row in late})
    for row in late:
        census_round, site = rounds[row["round"]], sites[row["unit__site"]]
        items.append(
            work_item_create(
                kind=RETURNS_OUTSTANDING,
                kind_label=work_kind_label(RETURNS_OUTSTANDING),
                title=f"{census_round}: returns outstanding at {site} after the deadline "
                f"of {dates.page_date(census_round.deadline)}",
                due=census_round.deadline,
                about=census_round,
                role=OFFICER.name,
                priority=WorkItem.Priority.HIGH,
                source_key=source_key(RETURNS_OUTSTANDING, census_round.pk, site.pk),
                by=by,
            )
        )
    return items
