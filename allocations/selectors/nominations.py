"""Reads for nominations to registered providers: what a nomination discloses to the
provider (no more), a provider's own nominations, and the per-provider report."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from allocations.models import Nomination, Vacancy
from allocations.rules.nominations import median_days, share_percent
from allocations.selectors.policies import policy_for
from residents.models import Person
from residents.selectors import named_household
from sites.models import ProviderStaff, RegisteredProvider, Unit


@dataclass(frozen=True)
class Disclosure:
    """What the information-sharing agreement lets the provider see of a nominated household:
    the lead applicant's name, who is in the household (relationship and age, no names or
    dates of birth), the band, the bedroom need and the access needs. Never special-category
    data, never the household's or application's records."""

    name: str
    people: int
    composition: list[str]
    band: int | None
    bedroom_need: int | None
    access_needs: str


def nomination_disclosure(nomination: Nomination) -> Disclosure:
    application = nomination.application
    people = list(
        Person.objects.filter(household_id=application.household_id).order_by("date_of_birth")
    )
    lead = next((p for p in people if p.relationship == Person.Relationship.LEAD), None)
    today = timezone.localdate()
    composition = [f"{p.get_relationship_display()}, aged {p.age_on(today)}" for p in people]
    lettings = policy_for(application).policy.lettings
    if application.access_category:
        access = f"Access category {lettings.access_words(application.access_category)}"
    elif application.needs_accessible_home:
        access = "Needs an accessible home"
    else:
        access = "None recorded"
    return Disclosure(
        name=str(lead) if lead else str(application.household),
        people=len(people),
        composition=composition,
        band=application.band,
        bedroom_need=application.bedroom_need,
        access_needs=access,
    )


def user_provider(user) -> RegisteredProvider | None:
    """The provider a provider's staff member works for (None for the council's staff)."""
    link = ProviderStaff.objects.select_related("provider").filter(user_id=user.pk).first()
    return link.provider if link else None


def provider_nominations(user) -> QuerySet:
    """The nominations to the user's own provider's homes: nothing else, ever."""
    provider = user_provider(user)
    if provider is None:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(provider=provider)
        .select_related("vacancy__unit__site", "provider", "application")
        .order_by("-sent_at", "-pk")
    )


def nomination_list(*, status: str = "") -> QuerySet:
    nominations = Nomination.objects.select_related(
        "vacancy__unit__site", "provider", "application__household", "sent_by"
    ).annotate(household_named=named_household("application__household"))
    if status:
        nominations = nominations.filter(status=status)
    return nominations.order_by("-sent_at", "-pk")


@dataclass(frozen=True)
class ProviderReport:
    provider: RegisteredProvider
    made: int
    accepted: int
    rejected: int
    rejected_by_reason: list[tuple[str, int]]
    median_days_to_answer: float | None
    first_lets: int
    first_lets_nominated: int
    first_lets_share: int | None
    relets: int
    relets_nominated: int
    relets_share: int | None
    overdue: int


def provider_report(provider: RegisteredProvider) -> ProviderReport:
    """A provider's nominations: made, accepted, rejected by reason, the median time to
    answer, and the share of its lets actually nominated against the agreement (a let is a
    home of the provider's advertised through the council's cycle and let, or still being
    let; nominated: let to, or nominated to, a household from the council's shortlist)."""
    nominations = list(Nomination.objects.filter(provider=provider))
    accepted = [
        n for n in nominations if n.status in (Nomination.Status.ACCEPTED, Nomination.Status.LET)
    ]
    rejected = [n for n in nominations if n.rejection_reason]
    reasons = Counter(n.get_rejection_reason_display() for n in rejected)
    answered = [n.responded_at - n.sent_at for n in nominations if n.responded_at]
    vacancies = (
        Vacancy.objects.filter(unit__provider=provider)
        .exclude(status__in=[Vacancy.Status.DRAFT, Vacancy.Status.WITHDRAWN])
        .select_related("unit")
    )
    nominated_vacancies = {n.vacancy_id for n in nominations}
    first = [v for v in vacancies if v.unit.void_reason == Unit.VoidReason.NEW_BUILD]
    relets = [v for v in vacancies if v.unit.void_reason != Unit.VoidReason.NEW_BUILD]
    first_nominated = sum(1 for v in first if v.pk in nominated_vacancies)
    relets_nominated = sum(1 for v in relets if v.pk in nominated_vacancies)
    return ProviderReport(
        provider=provider,
        made=len(nominations),
        accepted=len(accepted),
        rejected=len(rejected),
        rejected_by_reason=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        median_days_to_answer=median_days(answered),
        first_lets=len(first),
        first_lets_nominated=first_nominated,
        first_lets_share=share_percent(first_nominated, len(first)),
        relets=len(relets),
        relets_nominated=relets_nominated,
        relets_share=share_percent(relets_nominated, len(relets)),
        overdue=sum(1 for n in nominations if n.is_overdue),
    )
