"""The demo's nominations to a registered provider (issue 14): Northshire Homes, with its
nomination agreement (100% of first lets, 50% of relets, 5 working days to answer) and its
staff member Priya Nair (`provider`). Its two flats at Orchard Rise were advertised in the
bidding cycle three weeks back, as any home is (a choice-based advert takes bids only in a
cycle), and nominated at its close, each to the first on its frozen shortlist. Flat 1:
Northshire Homes rejected (cannot afford the rent), the officer accepted the rejection and
nominated the next, whom Northshire Homes accepted (the CORE step, allocations/demo_core.py,
confirms the let today). Flat 2: Northshire Homes rejected late (no contact), the officer
challenged the rejection today, and it waits again for Northshire Homes' answer.

Past moments are made as they happened (time-machine, as the lettings demo does), through
the services."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.models import Application, BiddingCycle, Nomination, Scheme, Vacancy
from allocations.services import nominations
from allocations.services.cycles import cycle_times
from config.demo import Demo, DemoStep
from config.history import system_user
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


def _advertised(unit: Unit, cycle: BiddingCycle, applications, officer) -> Vacancy:
    """Advertised in the cycle and bid for by the households, by phone."""
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text=f"A two-bedroom flat let by {DEMO_PROVIDER}, close to the station.",
        opens_on=timezone.localdate(cycle.opens_at),
        closes_on=timezone.localdate(cycle.closes_at),
        by=officer,
    )
    vacancy = services.advert_publish(vacancy=vacancy, cycle=cycle, by=officer)
    for application in applications:
        services.place_bid(application=application, advert=vacancy, channel="phone", by=officer)
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
        .order_by("reference")[:6]
    )
    # The week before the lettings demo's three cycles (one cycle a week): its own cycle,
    # each flat bid for by different households, so no household is nominated twice.
    times = cycle_times(today)
    opens_on = today - timedelta(days=(today.weekday() - times.opens_weekday) % 7 + 21)
    with _travel(_at(opens_on, 9)):
        cycle = services.cycle_create(opens_on=opens_on, by=officer)
        first_flat = _advertised(first_home, cycle, applications[:3], officer)
        second_flat = _advertised(second_home, cycle, applications[3:6], officer)
    closed = cycle.closes_at + timedelta(minutes=1)
    with _travel(closed):
        # The close freezes both shortlists and nominates each flat's first household.
        services.cycles_close_due(by=system_user())
    first = first_flat.nominations.filter(status=Nomination.Status.SENT).first()
    waiting = second_flat.nominations.filter(status=Nomination.Status.SENT).first()
    closed_on = timezone.localdate(closed)
    if first is not None:
        with _travel(_at(closed_on + timedelta(days=2), 11)):
            nominations.nomination_reject(
                nomination=first,
                reason=Nomination.RejectionReason.AFFORDABILITY,
                detail="The rent and service charge would be 58% of the household's income.",
                answered_by="Priya Nair",
                by=priya,
            )
        with _travel(_at(closed_on + timedelta(days=3), 10)):
            second = nominations.nomination_rejection_accept(
                nomination=first,
                note="Income and benefit statement checked: the rejection is fair.",
                by=officer,
            )
        if second is not None:
            with _travel(_at(closed_on + timedelta(days=5), 15)):
                nominations.nomination_accept(nomination=second, answered_by="Priya Nair", by=priya)
    if waiting is not None:
        with _travel(_at(today - timedelta(days=2), 16)):
            nominations.nomination_reject(
                nomination=waiting,
                reason=Nomination.RejectionReason.NO_CONTACT,
                detail="Two calls and a letter since the nomination, no reply.",
                answered_by="Priya Nair",
                by=priya,
            )
        nominations.nomination_rejection_challenge(
            nomination=waiting,
            note="The household answers on weekday evenings, their support worker says: try then.",
            by=officer,
        )


NOMINATIONS = DemoStep(
    loaded=lambda: RegisteredProvider.objects.filter(name=DEMO_PROVIDER).exists(),
    load=nominations_load,
)
