"""Building blocks for casework tests: a frozen shortlist, partners, checks back."""

from datetime import datetime, timedelta

from django.utils import timezone

from allocations import services
from allocations.models import Partner, Vacancy
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory


def partner(kind: str = Partner.Kind.POLICE, **fields) -> Partner:
    name = fields.pop("name", f"{Partner.Kind(kind).label} {Partner.objects.count() + 1}")
    fields.setdefault("agreement", "Northshire ISA 2024/03")
    return Partner.objects.create(name=name, kind=kind, **fields)


def frozen_vacancy(officer, *points: int, **vacancy_fields) -> tuple[Vacancy, list]:
    """A vacancy whose shortlist is frozen with one application per points value, best first."""
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, **vacancy_fields)
    for value in points:
        services.bid_place(
            vacancy=vacancy, application=ActiveApplicationFactory(points=value), by=officer
        )
    entries = services.shortlist_freeze(vacancy=vacancy, by=officer)
    vacancy.refresh_from_db()
    return vacancy, sorted((e for e in entries if e.eligible), key=lambda e: e.position)


def checks_back(application, officer) -> None:
    """Every check the policy requires, requested and answered clear."""
    today = timezone.localdate()
    for kind in ("police", "previous_landlord"):
        check = services.check_request(
            application=application,
            partner=partner(kind),
            purpose="Pitch offer",
            legal_basis="ISA clause 4",
            due_on=today + timedelta(days=14),
            by=officer,
        )
        services.check_return(check=check, returned_on=today, outcome="clear", notes="", by=officer)


def in_a_week():
    return timezone.localdate() + timedelta(days=7)


def tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def answers_as_records(offer) -> dict:
    """The decision checklist answered as the records say (yes where they cannot say), each
    "no" with its note."""
    facts = services.decision_facts(offer)
    answers = {}
    for clause in offer.vacancy.policy_version.policy.decision_checklist:
        met = facts.get(clause.code)
        met = True if met is None else met
        answers[clause.code] = {"met": met, "note": "" if met else "Not yet: see the case"}
    return answers
