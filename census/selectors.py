"""Every read the census pages and reports need, with their joins."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Length
from django.urls import reverse
from django.utils import timezone

from census import rules
from census.lifecycles import DIFFERENCE, RETURN, ROUND
from census.models import (
    CaravanCount,
    CensusDifference,
    CensusReturn,
    CensusRound,
    NewPerson,
    OffSiteCount,
    ReturnOccupant,
)
from config.kernel.lifecycle import Action
from residents.models import LicenceOccupant


def round_get_queryset() -> QuerySet[CensusRound]:
    return CensusRound.objects.select_related("created_by")


def round_lateness(census_round: CensusRound, *, today: date | None = None) -> dict[str, bool]:
    """Whether a started round is past its deadline, or a planned one past its planned start."""
    today = today or timezone.localdate()
    return {
        "late": census_round.status == CensusRound.Status.STARTED and census_round.deadline < today,
        "not_started_late": census_round.status == CensusRound.Status.PLANNED
        and census_round.planned_start < today,
    }


def round_list() -> QuerySet[CensusRound]:
    return CensusRound.objects.annotate(
        pitches=Count("returns", distinct=True),
        done=Count(
            "returns", filter=Q(returns__status=CensusReturn.Status.SUBMITTED), distinct=True
        ),
        site_count=Count("sites", distinct=True),
    ).order_by("-year")


def progress_by_site(census_round: CensusRound) -> list[dict]:
    """Pitches done and to do for each site of the round, and the percentage done."""
    rows = (
        census_round.returns.values("unit__site")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=CensusReturn.Status.SUBMITTED)),
            started=Count("pk", filter=Q(status=CensusReturn.Status.IN_PROGRESS)),
        )
        .order_by()
    )
    by_site = {row["unit__site"]: row for row in rows}
    result = []
    for site in census_round.sites.order_by("name"):
        row = by_site.get(site.pk, {"total": 0, "done": 0, "started": 0})
        result.append(_progress(site=site, **{k: row[k] for k in ("total", "done", "started")}))
    return result


def _progress(*, total: int, done: int, started: int, **extra) -> dict:
    percent = round(100 * done / total) if total else 0
    return {
        "total": total,
        "done": done,
        "started": started,
        # Not yet submitted (in progress or not begun), and not yet begun: a pitch in
        # progress is counted once, never also as to do.
        "outstanding": total - done,
        "to_do": total - done - started,
        "percent": percent,
        # The bar's width in steps of 5%, so the stylesheet needs no inline style (CSP).
        "step": 5 * round(percent / 5),
        **extra,
    }


def progress_overall(by_site: list[dict]) -> dict:
    return _progress(
        total=sum(row["total"] for row in by_site),
        done=sum(row["done"] for row in by_site),
        started=sum(row["started"] for row in by_site),
    )


def round_returns(census_round: CensusRound) -> QuerySet[CensusReturn]:
    """The round's returns, each with its licence holder's name: who the officer calls on."""
    holder = (
        LicenceOccupant.objects.filter(
            licence=OuterRef("licence"), role=LicenceOccupant.Role.HOLDER, to_date__isnull=True
        )
        .order_by("pk")
        .annotate(name=Concat("person__first_name", Value(" "), "person__last_name"))
        .values("name")[:1]
    )
    return (
        census_round.returns.select_related("unit__site", "licence__household", "officer")
        .annotate(
            open_differences=Count(
                "differences", filter=Q(differences__status=CensusDifference.Status.OPEN)
            ),
            holder_name=Subquery(holder),
        )
        # Pitch 2 before Pitch 10: shorter references first, then alphabetical.
        .order_by("unit__site__name", Length("unit__reference"), "unit__reference")
    )


def return_detail(pk: int) -> CensusReturn:
    return (
        CensusReturn.objects.select_related(
            "round", "unit__site", "licence__household", "officer", "second_officer"
        )
        .prefetch_related(
            Prefetch(
                "occupants",
                queryset=ReturnOccupant.objects.select_related("licence_occupant__person"),
            ),
            Prefetch("new_people", queryset=NewPerson.objects.order_by("pk")),
            Prefetch(
                "differences",
                queryset=CensusDifference.objects.select_related(
                    "resolved_by", "unauthorised_occupant__unit__site", "licence_occupant__person"
                ).order_by("pk"),
            ),
        )
        .get(pk=pk)
    )


def difference_get_queryset() -> QuerySet[CensusDifference]:
    return CensusDifference.objects.select_related("census_return__unit__site")


def difference_count(census_return: CensusReturn) -> int:
    return CensusDifference.objects.filter(census_return=census_return).count()


def open_differences(census_round: CensusRound) -> QuerySet[CensusDifference]:
    return (
        CensusDifference.objects.filter(
            census_return__round=census_round, status=CensusDifference.Status.OPEN
        )
        .select_related("census_return__unit__site")
        .order_by("census_return__unit__site__name", "census_return__unit__reference", "pk")
    )


# --- Reports ---------------------------------------------------------------------------------


@dataclass
class SiteReport:
    site: object
    pitches: int = 0
    returns_submitted: int = 0
    households: int = 0
    holders_present: int = 0
    authorised: int = 0
    unauthorised: int = 0
    caravans: int = 0
    age_bands: Counter = field(default_factory=Counter)


def site_reports(census_round: CensusRound) -> list[SiteReport]:
    """The round's figures per site, counted from submitted returns only.

    A household is a pitch with a licence; authorised occupants are the licence holders
    and the occupants confirmed as still living there; unauthorised occupants are the new
    people found.
    """
    returns = list(
        census_round.returns.filter(status=CensusReturn.Status.SUBMITTED)
        .select_related("unit__site", "licence")
        .prefetch_related(
            Prefetch(
                "occupants",
                queryset=ReturnOccupant.objects.select_related("licence_occupant__person"),
            ),
            "new_people",
        )
    )
    holders = defaultdict(list)
    licence_ids = [r.licence_id for r in returns if r.licence_id]
    for holder in LicenceOccupant.objects.filter(
        licence_id__in=licence_ids, role=LicenceOccupant.Role.HOLDER
    ).select_related("person"):
        holders[holder.licence_id].append(holder)
    sites = {site.pk: SiteReport(site=site) for site in census_round.sites.order_by("name")}
    pitches = census_round.returns.values("unit__site").annotate(n=Count("pk")).order_by()
    for row in pitches:
        if row["unit__site"] in sites:
            sites[row["unit__site"]].pitches = row["n"]
    for census_return in returns:
        report = sites[census_return.unit.site_id]
        report.returns_submitted += 1
        report.caravans += census_return.caravans or 0
        day = census_return.visited_on or date(census_round.year, 1, 1)
        if census_return.licence_id:
            report.households += 1
            if census_return.holder_present:
                report.holders_present += 1
            for holder in holders[census_return.licence_id]:
                if holder.from_date <= day and (holder.to_date is None or holder.to_date > day):
                    report.authorised += 1
                    report.age_bands[rules.age_band(holder.person.age_on(day))] += 1
        for occupant in census_return.occupants.all():
            if occupant.finding == ReturnOccupant.Finding.CONFIRMED:
                report.authorised += 1
                person = occupant.licence_occupant.person
                report.age_bands[rules.age_band(person.age_on(day))] += 1
        for person in census_return.new_people.all():
            report.unauthorised += 1
            report.age_bands[rules.age_band(person.approximate_age)] += 1
    return list(sites.values())


TOTALLED = (
    "pitches",
    "returns_submitted",
    "households",
    "holders_present",
    "authorised",
    "unauthorised",
    "caravans",
)


def round_report(census_round: CensusRound) -> dict:
    """Per site and overall, people by age band, and changes since the year before."""
    reports = site_reports(census_round)
    bands = [label for label, _, _ in rules.AGE_BANDS] + [rules.AGE_UNKNOWN]
    total_bands = Counter()
    for report in reports:
        total_bands.update(report.age_bands)
    # The last earlier round that started: one only planned has no returns to compare with.
    previous = (
        CensusRound.objects.filter(year__lt=census_round.year)
        .exclude(status=CensusRound.Status.PLANNED)
        .order_by("-year")
        .first()
    )
    changes = []
    if previous is not None:
        before = {r.site.pk: r for r in site_reports(previous)}
        for report in reports:
            last = before.get(report.site.pk)
            changes.append(
                {
                    "site": report.site,
                    **{
                        name: _change(getattr(report, name), last and getattr(last, name))
                        for name in ("households", "authorised", "unauthorised", "caravans")
                    },
                }
            )
    return {
        "sites": reports,
        "totals": {name: sum(getattr(r, name) for r in reports) for name in TOTALLED},
        "bands": bands,
        "age_bands": [(band, total_bands[band]) for band in bands],
        "previous": previous,
        "changes": changes,
    }


def _change(now: int, before: int | None) -> dict:
    if before is None:
        return {"now": now, "before": None, "change": None}
    return {"now": now, "before": before, "change": now - before}


def caravan_counts(count_date: date | None = None) -> QuerySet[CaravanCount]:
    counts = CaravanCount.objects.select_related("site", "census_round")
    if count_date is not None:
        counts = counts.filter(count_date=count_date)
    return counts.order_by("-count_date", "site__name")


def off_site_counts(count_date: date | None = None) -> QuerySet[OffSiteCount]:
    counts = OffSiteCount.objects.all()
    if count_date is not None:
        counts = counts.filter(count_date=count_date)
    return counts.order_by("-count_date", "category", "location")


def count_dates() -> list[date]:
    """Every date a count was taken, newest first: on the council's sites or off them."""
    on_sites = CaravanCount.objects.order_by().values_list("count_date", flat=True)
    off_sites = OffSiteCount.objects.order_by().values_list("count_date", flat=True)
    return sorted(set(on_sites.union(off_sites)), reverse=True)


# --- What a page may offer now ---------------------------------------------------------------


def round_actions(census_round: CensusRound, user, *, overall: dict) -> list[Action]:
    """Start a planned round; close a started one once every return is in; count caravans
    from the returns submitted."""
    actions = []
    if user.has_perm("census.change_censusround"):
        if ROUND.can_move(census_round, CensusRound.Status.STARTED):
            actions.append(
                Action("Start the round", reverse("census:round-start", args=[census_round.pk]))
            )
        if ROUND.can_move(census_round, CensusRound.Status.CLOSED) and not overall["outstanding"]:
            actions.append(
                Action(
                    "Close the round",
                    reverse("census:round-close", args=[census_round.pk]),
                    style="secondary",
                )
            )
    if user.has_perm("census.add_caravancount") and overall["done"]:
        actions.append(
            Action(
                "Count caravans from this round",
                reverse("census:count-derive", args=[census_round.pk]),
                method="get",
                style="secondary",
            )
        )
    return actions


def return_is_editable(census_return: CensusReturn) -> bool:
    """Returns are filled in while their round is running, until they are submitted."""
    return census_return.round.status == CensusRound.Status.STARTED and RETURN.can_move(
        census_return, CensusReturn.Status.SUBMITTED
    )


def return_actions(census_return: CensusReturn, user) -> list[Action]:
    if not (user.has_perm("census.change_censusreturn") and return_is_editable(census_return)):
        return []
    label = (
        "Fill in the return"
        if census_return.status == CensusReturn.Status.NOT_STARTED
        else "Continue the return"
    )
    return [Action(label, reverse("census:return-edit", args=[census_return.pk]), method="get")]


def difference_actions(difference: CensusDifference, user) -> list[Action]:
    """Apply an open difference to the records (where it changes them) or dismiss it."""
    if DIFFERENCE.is_final(difference.status) or not user.has_perm(
        "census.change_censusdifference"
    ):
        return []
    actions = []
    if difference.can_apply:
        actions.append(
            Action(
                "Apply to the records",
                reverse("census:difference-apply", args=[difference.pk]),
                method="get",
            )
        )
    actions.append(
        Action("Dismiss", reverse("census:difference-dismiss", args=[difference.pk]), method="get")
    )
    return actions
