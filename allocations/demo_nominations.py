"""The demo's nominations to a registered provider (issue 14): Northshire Homes, with its
nomination agreement (100% of first lets, 50% of relets, 5 working days to answer) and its
staff member Priya Nair (`provider`). Flat 1, Orchard Rise was nominated six days ago to the
first on its frozen shortlist; Northshire Homes rejected (cannot afford the rent), the
officer accepted the rejection and nominated the next, whom Northshire Homes accepted
yesterday (the CORE step, allocations/demo_core.py, confirms the let today). Flat 2, Orchard
Rise was nominated today and waits for Northshire Homes' answer."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.lifecycles import VACANCY
from allocations.models import Application, Nomination, Scheme, Vacancy
from allocations.services import nominations
from config.demo import Demo, DemoStep
from config.kernel.records import save
from sites import services as site_services
from sites.models import ProviderStaff, RegisteredProvider, Site, Unit

DEMO_PROVIDER = "Northshire Homes"
LAWFUL_BASIS = (
    "UK GDPR art. 6(1)(e) (public task: the council's allocation scheme, Housing Act 1996 "
    "Part 6, s.159(2)(c) nominations) under the Northshire Homes nominations "
    "information-sharing agreement, 2025: name, household, band, bedroom need and access "
    "needs only."
)


def _travel(moment: datetime):
    import time_machine  # a development dependency, like demo_load itself

    return time_machine.travel(moment, tick=False)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _home(site: Site, number: int, officer) -> Unit:
    return site_services.unit_create(
        site=site,
        by=officer,
        reason="Demo data",
        reference=f"Flat {number}",
        kind=Unit.Kind.HOME,
        bedrooms=2,
        floor_level=number - 1,
        accessibility="f",
        weekly_charge=Decimal("118.40"),
        status=Unit.Status.VOID,
        void_date=date(2026, 10, 20),
        void_reason=Unit.VoidReason.TRANSFER,
        provider=RegisteredProvider.objects.get(name=DEMO_PROVIDER),
    )


def _shortlisted(unit: Unit, applications, officer, *, closes_on: date) -> Vacancy:
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text=f"A two-bedroom flat let by {DEMO_PROVIDER}, close to the station.",
        opens_on=closes_on - timedelta(days=6),
        closes_on=closes_on,
        by=officer,
    )
    # Advertised as an advert of the weeks before bidding cycles (`vacancy_advertise` now
    # refuses a choice-based lettings advert: it is published into a cycle), so that its
    # shortlist is frozen on its own dates.
    VACANCY.move(vacancy, Vacancy.Status.ADVERTISED)
    save(vacancy, by=officer, reason="Demo data: advertised before bidding cycles")
    for application in applications:
        services.place_bid(application=application, advert=vacancy, channel="phone", by=officer)
    services.shortlist_freeze(vacancy=vacancy, by=officer)
    return vacancy


def nominations_load(demo: Demo) -> None:
    officer = demo.user("officer")
    priya = demo.user("provider")
    today = timezone.localdate()
    provider = RegisteredProvider(
        name=DEMO_PROVIDER,
        contact_email="nominations@northshirehomes.example",
        first_lets_share=100,
        relets_share=50,
        response_working_days=5,
        lawful_basis=LAWFUL_BASIS,
        core_organisation_id="ORG-NSH",
    )
    save(provider, by=demo.admin, reason="Demo data: nomination agreement signed 2025")
    save(
        ProviderStaff(user=priya, provider=provider),
        by=demo.admin,
        reason="Demo data: Northshire Homes' lettings officer",
    )
    site = site_services.site_create(
        by=officer,
        reason="Demo data",
        name="Orchard Rise",
        reference="RP-01",
        kind=Site.Kind.HOUSING_SCHEME,
        address_line_1="1 Orchard Rise",
        town="Hythe",
        postcode="CT21 5AB",
        parish="Hythe",
        opened_on=date(2009, 6, 1),
    )
    first_home, second_home = _home(site, 1, officer), _home(site, 2, officer)
    applications = list(
        Application.objects.filter(scheme=Scheme.CBL, status=Application.Status.ACTIVE)
        .exclude(offers__status__in=["open", "accepted"])
        .order_by("reference")[:4]
    )
    six_days_ago = today - timedelta(days=6)
    with _travel(_at(six_days_ago, 9)):
        vacancy = _shortlisted(first_home, applications[:3], officer, closes_on=six_days_ago)
        first = nominations.nomination_next(vacancy=vacancy, by=officer)
    if first is None:
        return
    with _travel(_at(today - timedelta(days=4), 11)):
        nominations.nomination_reject(
            nomination=first,
            reason=Nomination.RejectionReason.AFFORDABILITY,
            detail="The rent and service charge would be 58% of the household's income.",
            answered_by="Priya Nair",
            by=priya,
        )
    with _travel(_at(today - timedelta(days=3), 10)):
        second = nominations.nomination_rejection_accept(
            nomination=first,
            note="Income and benefit statement checked: the rejection is fair.",
            by=officer,
        )
    if second is not None:
        with _travel(_at(today - timedelta(days=1), 15)):
            nominations.nomination_accept(nomination=second, answered_by="Priya Nair", by=priya)
    vacancy = _shortlisted(second_home, applications[1:4], officer, closes_on=today)
    nominations.nomination_next(vacancy=vacancy, by=officer)


NOMINATIONS = DemoStep(
    loaded=lambda: RegisteredProvider.objects.filter(name=DEMO_PROVIDER).exists(),
    load=nominations_load,
)
