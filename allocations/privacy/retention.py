"""The retention schedule's rules: what is due for deletion today (settings.RETENTION_SCHEDULE).

Each rule finds its records and says how the purge deletes one (privacy/purge.py). Nothing is
deleted here: the nightly task puts what is due in a batch that a team leader confirms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, Subquery

from allocations.models import (
    Application,
    DueDiligenceCheck,
    Purchaser,
    ResaleCase,
    ResaleNomination,
)
from allocations.privacy.models import SubjectAccessRequest
from allocations.privacy.purge import (
    PurgeCount,
    households_purge,
    purchasers_purge,
    records_purge,
)
from allocations.selectors import check_kept_until, checks_with_case_end
from config.kernel.dates import page_date
from residents.models import Household, Licence

# An application in one of these has ended without a home (refused, invalid, withdrawn or
# lapsed); a household whose every application has is no longer on the register.
CLOSED_UNSUCCESSFUL = (
    Application.Status.REFUSED,
    Application.Status.INVALID,
    Application.Status.WITHDRAWN,
    Application.Status.LAPSED,
)


@dataclass(frozen=True)
class DueRecord:
    rule: str
    record_type: str
    record_id: int
    label: str
    due_since: date


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # what the schedule says, in words
    record_type: str
    find: Callable[[date], Iterator[DueRecord]]
    purge: Callable[[list[int]], PurgeCount]

    @property
    def years(self) -> int:
        return int(settings.RETENTION_SCHEDULE[self.code])

    @property
    def period(self) -> str:
        return f"{self.years} years"


def _years(code: str) -> int:
    return int(settings.RETENTION_SCHEDULE[code])


def request_open_in(household: OuterRef) -> Exists:
    """Someone of the household (an OuterRef to it) has a subject access request waiting.
    Data asked for in a subject access request may not be deleted before it is answered, so
    every rule that deletes a household's records excludes these."""
    return Exists(
        SubjectAccessRequest.objects.filter(
            person__household=household, status=SubjectAccessRequest.Status.OPEN
        )
    )


def closed_applications_due(today: date) -> Iterator[DueRecord]:
    """Households with applications, every one closed without a home, no licence ever, no
    subject access request waiting, and nothing changed on any application for the period."""
    cutoff = today - relativedelta(years=_years("closed_applications"))
    history = Application.history.model
    last_change = (
        history.objects.filter(household_id=OuterRef("pk"))
        .values("household_id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    open_application = Application.objects.filter(household=OuterRef("pk")).exclude(
        status__in=CLOSED_UNSUCCESSFUL
    )
    households = (
        Household.objects.filter(applications__isnull=False, licences__isnull=True)
        .exclude(Exists(open_application))
        .exclude(request_open_in(OuterRef("pk")))
        .annotate(last_change=Subquery(last_change))
        .filter(last_change__date__lt=cutoff)
        .distinct()
        .order_by("pk")
    )
    for household in households:
        closed_on = household.last_change.date()
        yield DueRecord(
            rule="closed_applications",
            record_type="residents.Household",
            record_id=household.pk,
            label=f"{household}: last application closed {page_date(closed_on)}",
            due_since=closed_on + relativedelta(years=_years("closed_applications")),
        )


def due_diligence_answers_due(today: date) -> Iterator[DueRecord]:
    """Checks kept for the life of their case plus the period: the application closed (or
    housed) longer ago than that, and no subject access request waiting in the household.
    The check's stored keep-until date counts from the request, so it is not used."""
    cutoff = today - relativedelta(years=_years("due_diligence_answers"))
    checks = (
        checks_with_case_end()
        .filter(case_ended_at__date__lt=cutoff)
        .exclude(request_open_in(OuterRef("application__household")))
        .select_related("partner", "application")
    )
    for check in checks.order_by("case_ended_at", "pk"):
        kept_until = check_kept_until(check)
        if kept_until is None:  # the case has not ended (not found by the filter above)
            continue
        yield DueRecord(
            rule="due_diligence_answers",
            record_type="allocations.DueDiligenceCheck",
            record_id=check.pk,
            label=f"{check.partner} check for {check.application.reference}",
            due_since=kept_until,
        )


def ended_licences_due(today: date) -> Iterator[DueRecord]:
    """Licences that ended (or did not go ahead) longer ago than the period, no subject access
    request waiting in the household."""
    cutoff = today - relativedelta(years=_years("ended_licences"))
    licences = (
        Licence.objects.filter(
            status__in=[Licence.Status.ENDED, Licence.Status.CANCELLED], end_date__lt=cutoff
        )
        .exclude(request_open_in(OuterRef("household")))
        .select_related("household", "unit")
    )
    for licence in licences.order_by("end_date", "pk"):
        yield DueRecord(
            rule="ended_licences",
            record_type="residents.Licence",
            record_id=licence.pk,
            label=f"Licence of {licence.unit} for {licence.household}, ended "
            f"{page_date(licence.end_date)}",
            due_since=licence.end_date + relativedelta(years=_years("ended_licences")),
        )


def purchasers_due(today: date) -> Iterator[DueRecord]:
    """Would-be buyers on the low-cost home ownership register with nothing changed on their
    entry or their nominations for the period, no nomination to a resale still going, and no
    subject access request waiting."""
    years = _years("purchasers")
    cutoff = today - relativedelta(years=years)
    entry_changed = (
        Purchaser.history.model.objects.filter(id=OuterRef("pk"))
        .values("id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    nomination_changed = (
        ResaleNomination.history.model.objects.filter(purchaser_id=OuterRef("pk"))
        .values("purchaser_id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    going = (ResaleCase.Status.OPEN, ResaleCase.Status.PROCEEDING)
    purchasers = (
        Purchaser.objects.exclude(nominations__case__status__in=going)
        .exclude(subject_access_requests__status="open")
        .annotate(entry=Subquery(entry_changed), nominated=Subquery(nomination_changed))
        .filter(entry__date__lt=cutoff)
        .filter(Q(nominated__isnull=True) | Q(nominated__date__lt=cutoff))
        .distinct()
        .order_by("pk")
    )
    for purchaser in purchasers:
        last = max(filter(None, (purchaser.entry, purchaser.nominated))).date()
        yield DueRecord(
            rule="purchasers",
            record_type="allocations.Purchaser",
            record_id=purchaser.pk,
            label=f"{purchaser}: on the purchasers' register, nothing since {page_date(last)}",
            due_since=last + relativedelta(years=years),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "due_diligence_answers",
        "Due-diligence answers, years after their case ended",
        "allocations.DueDiligenceCheck",
        due_diligence_answers_due,
        lambda pks: records_purge(DueDiligenceCheck, pks),
    ),
    Rule(
        "ended_licences",
        "Licences and what hangs from them, years after they ended",
        "residents.Licence",
        ended_licences_due,
        lambda pks: records_purge(Licence, pks),
    ),
    Rule(
        "closed_applications",
        "Households whose applications all closed without a home, years after the last",
        "residents.Household",
        closed_applications_due,
        households_purge,
    ),
    Rule(
        "purchasers",
        "Would-be buyers on the low-cost home ownership register, years after the last change",
        "allocations.Purchaser",
        purchasers_due,
        purchasers_purge,
    ),
)
RULE_BY_CODE = {rule.code: rule for rule in RULES}
