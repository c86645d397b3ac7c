"""Cross-case lists: the officers' diary of interviews and site visits, and the team
leaders' list of overdue partner checks."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from allocations.models import DueDiligenceCheck, Interview, SiteVisit
from residents.selectors import lead_name


def diary(*, start: date, days: int, officer=None) -> list[dict]:
    """Interviews and site visits still to happen (or awaiting their outcome) from `start`
    for `days` days, in time order; only one officer's when `officer` is given."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(
        datetime.combine(date.fromordinal(start.toordinal() + days), time.min)
    )
    interviews = Interview.objects.filter(
        starts_at__gte=since, starts_at__lt=until, status=Interview.Status.SCHEDULED
    ).select_related("application", "lead_officer", "second_officer")
    visits = SiteVisit.objects.filter(
        starts_at__gte=since, starts_at__lt=until, status=SiteVisit.Status.ARRANGED
    ).select_related("application", "site", "first_officer", "second_officer")
    if officer is not None:
        interviews = interviews.filter(lead_officer=officer) | interviews.filter(
            second_officer=officer
        )
        visits = visits.filter(first_officer=officer) | visits.filter(second_officer=officer)
    entries = [
        {
            "starts_at": item.starts_at,
            "what": "Interview",
            "where": item.place,
            "application": item.application,
            "lead_name": item.lead_name,
            "officers": [o for o in (item.lead_officer, item.second_officer) if o],
        }
        for item in interviews.annotate(lead_name=lead_name("application__household"))
    ] + [
        {
            "starts_at": item.starts_at,
            "what": "Site visit",
            "where": str(item.site),
            "application": item.application,
            "lead_name": item.lead_name,
            "officers": [item.first_officer, item.second_officer],
        }
        for item in visits.annotate(lead_name=lead_name("application__household"))
    ]
    return sorted(entries, key=lambda entry: entry["starts_at"])


def checks_overdue(*, partner_kind: str = "", today: date | None = None) -> QuerySet:
    """Checks asked of partners whose answer is past its due date, longest overdue first."""
    today = today or timezone.localdate()
    checks = (
        DueDiligenceCheck.objects.filter(
            returned_on__isnull=True, stopped_on__isnull=True, due_on__lt=today
        )
        .select_related("partner", "application", "requested_by")
        .annotate(lead_name=lead_name("application__household"))
    )
    if partner_kind:
        checks = checks.filter(partner__kind=partner_kind)
    return checks.order_by("due_on", "pk")
