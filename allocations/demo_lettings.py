"""The choice-based lettings demo: a bidding cycle open now with adverts, bids from officers and
the auto-bidder; last week's cycle closed with its shortlists frozen (tiers per home, one advert
under a local lettings plan); and the cycle before it with a home let, its published result and
its newsletter.

Past cycles are made as they happened: the clock is moved to each moment of that week
(time-machine, a development dependency, as demo_load is) so every bid, close and history row
carries the time it would have had. Everything goes through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from allocations import services
from allocations.demo import paper_form
from allocations.models import (
    Application,
    BiddingCycle,
    Partner,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from allocations.services.cycles import cycle_times
from config.demo import Demo, DemoStep
from config.history import system_user
from config.kernel.documents import document_render
from config.kernel.records import save
from residents import services as residents_services
from residents.models import Household, Licence
from sites import services as site_services
from sites.models import Site, Unit

# area, parish, home type, bedrooms, floor, rent, access categories it suits, adaptations
HOMES = [
    ("Cheriton", "Cheriton", "flat", 1, 0, "98.40", [], ""),
    ("Cheriton", "Cheriton", "flat", 2, 1, "112.75", [], ""),
    ("Cheriton", "Cheriton", "house", 3, 0, "131.20", [], ""),
    ("Folkestone", "Folkestone", "flat", 1, 2, "96.10", [], ""),
    ("Folkestone", "Folkestone", "bungalow", 1, 0, "104.60", ["a", "b"], "Level-access shower"),
    ("Hythe", "Hythe", "sheltered", 1, 0, "101.30", ["c", "d", "e", "f"], "Lift, grab rails"),
    ("Cheriton", "Cheriton", "flat", 2, 0, "110.00", [], ""),
    ("Folkestone", "Folkestone", "house", 2, 0, "121.90", [], ""),
    ("Hythe", "Hythe", "flat", 2, 1, "108.15", [], ""),
    ("Cheriton", "Cheriton", "flat", 1, 1, "97.80", [], ""),
]
# The council's parishes, as the demo's lettings policy (version 2) lists them: every parish
# the demo's sites, homes, connections and adjacency table name.
PARISHES = [
    "Ashford",
    "Boughton Monchelsea",
    "Chartham",
    "Cheriton",
    "Folkestone",
    "Hawkinge",
    "Hythe",
    "Kingsnorth",
    "Milton",
    "Newington",
    "Sandgate",
    "Shadoxhurst",
    "Whitfield",
]
NEW_BUILD = 10  # the Cheriton flat (HOMES[9]) let under the Shorncliffe plan
BAND_CRITERIA = {1: "urgent_medical_welfare", 2: "social_care_priority", 3: "serious_overcrowding"}


def _travel(moment: datetime):
    import time_machine  # a development dependency, like demo_load itself

    return time_machine.travel(moment, tick=False)


def _uk(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _homes(demo: Demo, officer) -> list[Unit]:
    site = site_services.site_create(
        by=officer,
        reason="Demo data",
        name="Channel View homes",
        reference="HS-02",
        kind=Site.Kind.HOUSING_SCHEME,
        address_line_1="2 Channel View",
        town="Folkestone",
        postcode="CT20 2AB",
        parish="Folkestone",
        opened_on=date(1998, 4, 1),
    )
    units = []
    for number, (_, _, _, bedrooms, floor, rent, access, adaptations) in enumerate(HOMES, 1):
        units.append(
            site_services.unit_create(
                site=site,
                by=officer,
                reason="Demo data",
                reference=f"Home {number}",
                kind=Unit.Kind.HOME,
                bedrooms=bedrooms,
                floor_level=floor,
                accessibility=access[0] if access else "f",
                adaptations=adaptations,
                weekly_charge=Decimal(rent),
                # Flats share stairs and lighting: a service charge on top of the rent.
                service_charge=Decimal("4.85") if floor else Decimal("0"),
                status=Unit.Status.VOID,
                void_date=date(2026, 10, 1) + timedelta(days=number),
                # The last Cheriton flat is a new build, let under a local lettings plan.
                void_reason=(
                    Unit.VoidReason.NEW_BUILD if number == NEW_BUILD else Unit.VoidReason.TRANSFER
                ),
            )
        )
    return units


def _parishes_published(demo: Demo) -> None:
    """Version 2 of the lettings policy: version 1's rules with the council's list of parishes
    added, nothing else changed. Version 1 stays as published (a parish is free text under
    it); from the 1 April before the demo's cycles a parish must be one on the list."""
    today = timezone.localdate()
    current = services.policy_in_force(scheme=Scheme.CBL, on=today)
    if current.policy.lettings.local_connection.parishes:
        return
    local_connection = current.policy.lettings.local_connection.to_json()
    start = today - timedelta(days=28)  # before the demo's first cycle, three weeks back
    services.policy_publish(
        scheme=Scheme.CBL,
        name=current.name,
        effective_from=date(start.year if start.month >= 4 else start.year - 1, 4, 1),
        policy_rules={
            **current.rules,
            "local_connection": local_connection | {"parishes": PARISHES},
        },
        summary_of_changes="The council's list of parishes added: a parish recorded for a "
        "household's local connection, or taken by an advert from its site, must be one of "
        "them. Nothing else changes.",
        by=demo.admin,
    )


def _applicants(demo: Demo, officer) -> list[Application]:
    """Twelve households join the register: validated and banded through the services (the
    last has asked for a review of its band); a thirteenth is refused registration and has
    asked for a review."""
    today = timezone.localdate()
    policy = services.policy_in_force(scheme=Scheme.CBL, on=today)
    households = list(
        Household.objects.filter(applications__isnull=True, people__isnull=False)
        .distinct()
        .order_by("reference")[:13]
    )
    answers = {item.code: {"met": True} for item in policy.policy.eligibility}
    answers |= {item.code: {"met": False} for item in policy.policy.exclusions}
    answers |= {rule["code"]: {"met": True} for rule in policy.policy.lettings.qualification}
    if len(households) == 13:
        _refused_registration(households.pop(), answers, officer)
    applications = []
    for index, household in enumerate(households):
        application = services.application_create(
            household=household,
            scheme=Scheme.CBL,
            kind="new",
            registration_date=today - timedelta(days=200 + 37 * index),
            consent_to_enquiries=True,
            by=officer,
            # Recorded today from a paper form received earlier: its date is evidenced.
            backdate_reason="Demo: paper application form received on the registration date",
            backdate_evidence=paper_form(),
        )
        services.application_submit(application=application, by=officer)
        services.application_validate(application=application, answers=answers, by=officer)
        band = 1 + index % 3
        services.application_assess(
            application=application,
            criteria=[{"code": BAND_CRITERIA[band], "evidence": "Seen at the housing interview"}],
            by=officer,
        )
        application.refresh_from_db()
        applications.append(application)
    if applications:
        _band_review_asked(applications[-1], officer)
    return applications


def _band_review_asked(application: Application, officer) -> None:
    """A banded household told its band by letter has asked for a review (s.166A(9)(b),(c)),
    waiting for a team leader who did not assess it."""
    services.band_review_request(
        assessment=application.assessments.get(is_current=True),
        requested_on=timezone.localdate(),
        grounds="Says the damp in the children's bedroom makes their asthma worse: GP letter "
        "to follow",
        by=officer,
    )


def _connections(applications: list[Application], officer) -> None:
    today = timezone.localdate()
    for index, application in enumerate(applications):
        parish, kind, years = [
            ("Cheriton", "residence", 3),
            ("Folkestone", "residence", 2),
            ("Hythe", "family", 6),
            ("Cheriton", "work", 1),
        ][index % 4]
        services.connection_record(
            household=application.household,
            kind=kind,
            parish=parish,
            since=today - timedelta(days=365 * years),
            evidence_seen="Council tax bill" if kind == "residence" else "Letter seen",
            by=officer,
        )


def _advert(unit: Unit, spec, cycle: BiddingCycle, officer, plan=None) -> Vacancy:
    area, parish, home_type, bedrooms, _, rent, access, _ = spec
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.CBL,
        advert_text=f"A {bedrooms}-bedroom {home_type} in {area}, close to shops and buses.",
        opens_on=timezone.localdate(cycle.opens_at),
        closes_on=timezone.localdate(cycle.closes_at),
        min_bedroom_need=max(1, bedrooms - 1) if bedrooms > 1 else None,
        max_bedroom_need=bedrooms,
        min_age=55 if home_type == "sheltered" else None,
        local_lettings_plan=plan,
        home_type=home_type,
        weekly_rent=Decimal(rent),
        weekly_charges=Decimal("6.50"),
        access_categories=access,
        by=officer,
    )
    # The demo's homes share a few sites: each advert names its own parish and area (which
    # publishing would otherwise take from the site), recorded in its history like any change.
    vacancy.parish, vacancy.area = parish, area
    save(vacancy, by=officer, reason="The advert's parish and area (demo data)")
    return services.advert_publish(vacancy=vacancy, cycle=cycle, by=officer)


def _bid_all(applications, adverts, officer, *, channels=("phone", "in_person")) -> None:
    """Each household bids for the adverts it may bid for, up to the limit (refusals skipped:
    the service says why, and the demo simply moves on)."""
    for index, application in enumerate(applications):
        for advert in adverts:
            try:
                services.place_bid(
                    application=application,
                    advert=advert,
                    channel=channels[index % len(channels)],
                    by=officer,
                )
            except Exception:  # noqa: S112 - a refused bid, as a household would get
                continue


def _refused_registration(household: Household, answers: dict, officer) -> None:
    """Refused registration (no connection to the area, savings over the limit), with its
    letter; the household has asked for a review, waiting for a team leader."""
    today = timezone.localdate()
    application = services.application_create(
        household=household,
        scheme=Scheme.CBL,
        kind="new",
        registration_date=today,
        consent_to_enquiries=True,
        by=officer,
    )
    services.application_submit(application=application, by=officer)
    answers = answers | {
        "area_connection": {"met": False, "note": "Lives and works in Bristol; no family here"},
        "financial_limit": {"met": False, "note": "Savings of £82,000 (bank statement seen)"},
    }
    services.application_validate(application=application, answers=answers, by=officer)
    services.registration_review_request(
        refusal=application.registration_refusals.get(),
        requested_on=today,
        grounds="Says her mother in Cheriton needs her care; the savings are a trust for a child",
        by=officer,
    )


def cbl_load(demo: Demo) -> None:
    officer, leader = demo.user("officer"), demo.user("teamleader")
    system = system_user()
    now = timezone.now()
    today = timezone.localdate()
    times = cycle_times(today)
    # This week's opening day (today if it is one), and the two weeks before it.
    this_week = today - timedelta(days=(today.weekday() - times.opens_weekday) % 7)
    _parishes_published(demo)
    units = _homes(demo, officer)
    applications = _applicants(demo, officer)
    _connections(applications, officer)
    services.access_needs_record(
        application=applications[0],
        category="b",
        assessment="Occupational therapist, Northshire Community Health, 12 October 2026: "
        "wheelchair user indoors, needs level access to the bathroom",
        by=officer,
    )
    services.auto_bid_preference_save(
        application=applications[0],
        group="cannot_bid",
        areas=["Folkestone", "Cheriton"],
        home_types=["bungalow", "flat"],
        highest_floor=0,
        reason="Cannot bid for themselves: their support worker's letter (Shepway Advocacy)",
        by=officer,
        last_change_seen=None,  # none recorded yet
    )
    services.auto_bid_preference_save(
        application=applications[4],
        group="statutory_duty",
        areas=["Cheriton"],
        reason="Main housing duty accepted: homelessness decision",
        by=officer,
        last_change_seen=None,
    )
    for name, kind, email, edition in (
        ("Folkestone Library", "library", "library.folkestone@example.org", "standard"),
        ("Shepway Advocacy", "support_agency", "advice@shepway-advocacy.example", "easy_read"),
        ("Age UK Folkestone", "support_agency", "folkestone@ageuk.example", "large_print"),
    ):
        services.newsletter_recipient_add(
            name=name, kind=kind, email=email, edition=edition, by=officer
        )

    # Two weeks ago: one home, let, with its published result and newsletter.
    let_opens = this_week - timedelta(days=14)
    with _travel(_uk(let_opens, time(9))):
        let_cycle = services.cycle_create(opens_on=let_opens, by=officer)
        let_advert = _advert(units[6], HOMES[6], let_cycle, officer)
        services.newsletter_publish(cycle=let_cycle, by=officer)
        _bid_all(applications[1:9], [let_advert], officer)
    closed = let_cycle.closes_at + timedelta(minutes=1)
    with _travel(closed):
        services.cycles_close_due(by=system)
        entry = (
            ShortlistEntry.objects.filter(vacancy=let_advert, eligible=True)
            .select_related("application", "vacancy__policy_version")
            .order_by("position")
            .first()
        )
        if entry is not None:
            _let(entry, officer, leader, closed, demo.user("officer2"))
    # The tenancy signed then starts a week after the approval: live by today.
    residents_services.licences_start_due(today=today, by=system)

    # Last week: three homes, closed, shortlists frozen with tiers per home.
    last_opens = this_week - timedelta(days=7)
    with _travel(_uk(last_opens, time(9))):
        last_cycle = services.cycle_create(opens_on=last_opens, by=officer)
        # A new-build estate's local lettings plan on the Cheriton flat: at least half of its
        # lets to households in work (while short of that, they rank first when the cycle
        # closes), and no one with a proven anti-social behaviour record in the last 12
        # months first too.
        plan = services.lettings_plan_save(
            name="Shorncliffe new homes",
            area="Cheriton",
            description="New-build estate: at least half of lets to households in work, and "
            "a settled start for the new community",
            working_share=50,
            no_recent_asb="priority",
            asb_months=12,
            by=officer,
        )
        # Drafted by the officer, approved by the team leader from the cycle's first day.
        plan = services.lettings_plan_approve(
            plan=plan,
            starts_on=last_opens,
            reason="Agreed with the housing association for the first lets of the new build",
            by=leader,
        )
        last_adverts = [
            _advert(
                units[i], HOMES[i], last_cycle, officer, plan=plan if i == NEW_BUILD - 1 else None
            )
            for i in (7, 8, 9)
        ]
        services.auto_bids_place_due(by=system)
        _bid_all(applications[2:], last_adverts, officer)
    with _travel(last_cycle.closes_at + timedelta(minutes=1)):
        services.cycles_close_due(by=system)

    # This week: open now (Thursday to Monday), with bids from officers and the auto-bidder.
    cycle = services.cycle_create(opens_on=this_week, by=officer)
    if cycle.closes_at < now:  # Tuesday or Wednesday: next week's cycle is the one to come
        cycle = services.cycle_create(opens_on=this_week + timedelta(days=7), by=officer)
    adverts = [_advert(units[i], HOMES[i], cycle, officer) for i in range(6)]
    if cycle.is_open:
        services.auto_bids_place_due(by=system)
        _bid_all(applications[1:8], adverts[:4], officer)


def _answers_as_records(offer) -> dict:
    """The decision checklist answered as the records say (yes where only the officer's
    judgement can say), each "no" explained."""
    facts = services.decision_facts(offer)
    answers = {}
    for clause in offer.vacancy.policy_version.policy.decision_checklist:
        met = facts.get(clause.code)
        met = True if met is None else met
        answers[clause.code] = {"met": met, "note": "" if met else "Not recorded in the demo"}
    return answers


def _let(entry: ShortlistEntry, officer, leader, moment: datetime, witness) -> None:
    application = entry.application
    day = timezone.localdate(moment)
    partner = Partner.objects.filter(kind="previous_landlord").first()
    if partner is not None:
        check = services.check_request(
            application=application,
            partner=partner,
            purpose="Tenancy history for a home offer",
            legal_basis="Applicant's signed consent",
            due_on=day + timedelta(days=5),
            by=officer,
        )
        services.check_return(
            check=check, returned_on=day, outcome="clear", notes="No arrears.", by=officer
        )
    offer = services.offer_make(entry=entry, respond_by=day + timedelta(days=7), by=officer)
    services.offer_accept(offer=offer, on=day, by=officer)
    decision = services.decision_propose(
        offer=offer,
        answers=_answers_as_records(offer),
        reasons="First on the frozen shortlist; the home suits the household.",
        by=officer,
    )
    services.decision_approve(decision=decision, comments="Agreed.", by=leader)
    services.let_result_publish(vacancy=entry.vacancy, by=officer)
    _tenancy_signed(entry, officer, witness, day)


def _tenancy_signed(entry: ShortlistEntry, officer, witness, day: date) -> None:
    """The approval prepared an introductory tenancy: its agreement drawn, signed with a
    witness and the keys handed over the same day."""
    tenancy = Licence.objects.get(
        unit=entry.vacancy.unit, household=entry.application.household, status="draft"
    )
    for document in residents_services.licence_documents_request(licence=tenancy, by=officer):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    residents_services.licence_sign(
        licence=tenancy,
        signed_on=day,
        witnessed_by=witness,
        keys_handed_over_on=day,
        by=officer,
    )


CBL = DemoStep(loaded=lambda: BiddingCycle.objects.exists(), load=cbl_load)
