"""Site visits: arranging one with two officers and recording its outcome."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    SiteVisit,
    Vacancy,
)
from allocations.services.cases import (
    case_open,
    case_open_problems,
    happened_after_the_fact,
    happened_problems,
    local_day,
    outcome_record,
)
from allocations.services.reminders import work_add
from config.kernel.dates import page_datetime
from config.kernel.records import save
from projects.work import source_key, work_items_close_for_prefix
from residents.selectors import household_name
from sites.models import Site

# --- Site visits -----------------------------------------------------------------------------


def _different(officers: Iterable[AbstractBaseUser | None]) -> list[AbstractBaseUser]:
    return list({officer.pk: officer for officer in officers if officer}.values())


def site_visit_arrange_problems(
    *,
    application: Application,
    starts_at: datetime | None,
    officers: Iterable[AbstractBaseUser | None],
    outcome: str | None = "",
    outcome_notes: str | None = "",
) -> dict[str, str]:
    """Every refusal of `site_visit_arrange` at once (the case, two different officers, the
    time and outcome), without writing. A value not known (None) is not checked."""
    problems = case_open_problems(application)
    if len(_different(officers)) < 2:
        problems["second_officer"] = "A site visit needs two different officers: choose a second"
    problems |= happened_problems(
        starts_at=starts_at, outcome=outcome, notes=outcome_notes, what="visit"
    )
    # The same visit sent twice (a second press of the button) would put it in both
    # officers' queues twice.
    if (
        starts_at is not None
        and application.site_visits.filter(starts_at=starts_at)
        .exclude(status=SiteVisit.Status.CANCELLED)
        .exists()
    ):
        problems.setdefault(
            "starts_at",
            f"{household_name(application.household)} already has a site visit at "
            f"{page_datetime(starts_at)}: it is on the case page",
        )
    return problems


@transaction.atomic
def site_visit_arrange(
    *,
    application: Application,
    site: Site,
    starts_at: datetime,
    officers: Iterable[AbstractBaseUser],
    by: AbstractBaseUser,
    vacancy: Vacancy | None = None,
    outcome: str = "",
    outcome_notes: str = "",
) -> SiteVisit:
    """A familiarisation visit always has two different officers (DOMAIN.md). One that
    already happened is recorded after the fact with its outcome (who recorded it and when)."""
    application = case_open(application)
    if site.status != Site.Status.OPEN:
        # Nobody lives on a closed site (or one still being built) to show the household.
        raise ValidationError(
            {"site": f"{site} is {site.get_status_display().lower()}: choose an open site"}
        )
    officers = list(officers)
    problems = site_visit_arrange_problems(
        application=application,
        starts_at=starts_at,
        officers=officers,
        outcome=outcome,
        outcome_notes=outcome_notes,
    )
    if problems:
        raise ValidationError(problems)
    officers = _different(officers)
    happened = happened_after_the_fact(
        starts_at=starts_at, outcome=outcome, notes=outcome_notes, what="visit", by=by
    )
    visit = SiteVisit(
        application=application,
        vacancy=vacancy,
        site=site,
        starts_at=starts_at,
        first_officer=officers[0],
        second_officer=officers[1],
        **(happened or {}),
    )
    if happened:
        save(visit, by=by, reason="Site visit recorded after the fact")
        return visit
    save(visit, by=by, reason="Site visit arranged")
    for officer in officers[:2]:
        work_add(
            key=source_key("site_visit", visit.pk, officer.pk),
            kind="site_visit",
            title=f"Site visit to {site} with {household_name(application.household)} at "
            f"{timezone.localtime(starts_at):%H:%M}",
            due=local_day(starts_at),
            about=application,
            assignee=officer,
            by=by,
        )
    return visit


@transaction.atomic
def site_visit_record(
    *, visit: SiteVisit, status: str, notes: str, by: AbstractBaseUser
) -> SiteVisit:
    visit = outcome_record(visit, status=status, notes=notes, what="visit", by=by)
    if visit.status == SiteVisit.Status.CANCELLED:
        work_items_close_for_prefix(
            source_key("site_visit", visit.pk), by=by, reason="Site visit cancelled"
        )
    work_items_close_for_prefix(source_key("site_visit", visit.pk), by=by)
    return visit
