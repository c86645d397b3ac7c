"""Building blocks for nomination tests: a registered provider, one of its homes advertised
with a frozen shortlist, and a provider's staff member."""

from datetime import date

from allocations import services
from allocations.models import Scheme, ShortlistEntry, Vacancy
from sites.models import ProviderStaff, RegisteredProvider, Unit
from tests.allocations.cbl import applicant, legacy_bid
from tests.allocations.factories import VacancyFactory
from tests.factories import HomeFactory, UserFactory


def provider(name: str = "Northshire Homes", **fields) -> RegisteredProvider:
    defaults = {
        "contact_email": "lettings@northshire.example",
        "first_lets_share": 100,
        "relets_share": 50,
        "response_working_days": 5,
        "lawful_basis": "UK GDPR art. 6(1)(e): the council's allocation duty (Housing Act 1996 "
        "Part 6), under the Northshire nominations information-sharing agreement.",
    }
    found = RegisteredProvider.objects.filter(name=name).first()
    return found or RegisteredProvider.objects.create(name=name, **(defaults | fields))


def provider_staff(the_provider: RegisteredProvider, **fields):
    user = UserFactory(roles=["provider_staff"], **fields)
    ProviderStaff.objects.create(user=user, provider=the_provider)
    return user


def provider_home_shortlisted(
    recorder, the_provider: RegisteredProvider, *, bidders: int = 3, new_build: bool = False
) -> tuple[Vacancy, list[ShortlistEntry]]:
    """A provider's home advertised (not in a cycle), `bidders` households bidding in band
    order, and its shortlist frozen."""
    unit = HomeFactory(
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.NEW_BUILD if new_build else Unit.VoidReason.TRANSFER,
        provider=the_provider,
    )
    vacancy = VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)
    for band in range(1, bidders + 1):
        legacy_bid(applicant(band=band), vacancy, recorder)
    entries = services.shortlist_freeze(vacancy=vacancy, by=recorder)
    vacancy.refresh_from_db()
    return vacancy, sorted((e for e in entries if e.eligible), key=lambda e: e.position)


def council_home_shortlisted(application, recorder) -> ShortlistEntry:
    """A council home (not in a cycle) with only this household on its frozen shortlist."""
    unit = HomeFactory(
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
    )
    vacancy = VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)
    legacy_bid(application, vacancy, recorder)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=recorder)
    return entry
