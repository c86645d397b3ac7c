"""The residents' demo data: households on the demo sites (made as each site is), the resident
handbook and licences, and the county-scale households for benchmarks."""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.demo import Demo, DemoStep
from config.kernel.documents import document_render
from residents import services as resident_services
from residents.models import HandbookSection, Household, Person
from sites import demo as sites_demo
from sites.models import Site, Unit

DEMO_HANDBOOK_COMMON = [
    (
        "Welcome",
        "Welcome to your new home. This handbook tells you how the site works, who to contact "
        "and what the council and you each look after.\n\nKeep it with your licence.",
    ),
    (
        "Paying your pitch fee",
        "Your pitch fee is due every week in advance. Pay with the pay card we gave you at any "
        "Post Office or PayPoint, or by standing order.\n\nIf you are finding it hard to pay, "
        "talk to us early: we can help with benefits and a plan.",
    ),
    (
        "Repairs",
        "Report repairs to the site office or the repairs line. Emergencies (no water, no "
        "electricity, a gas smell, flooding) are attended within 24 hours.",
    ),
]
DEMO_HANDBOOK_SITE = [
    ("contacts", "Contacts", "{site} site office: 01632 960 100, weekdays 9am to 5pm."),
    ("refuse", "Refuse days", "General waste on Tuesdays; recycling every other Friday."),
    (
        "meters_payment",
        "Meters",
        "Electricity and water are metered on every pitch at {site}. Top up at the site office.",
    ),
]

FIRST_NAMES = {
    "female": [
        "Mary",
        "Bridget",
        "Kathleen",
        "Jasmine",
        "Amy",
        "Lily",
        "Sophie",
        "Grace",
        "Ruby",
        "Ellie",
        "Chloe",
        "Hannah",
    ],
    "male": [
        "John",
        "Patrick",
        "Tom",
        "Jim",
        "Levi",
        "Noah",
        "Jack",
        "Harry",
        "Oliver",
        "Charlie",
        "Sam",
        "George",
    ],
}
LAST_NAMES = [
    "Smith",
    "Lee",
    "Doherty",
    "Ward",
    "Price",
    "Boswell",
    "Lovell",
    "Cooper",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Hall",
]

STREETS = [
    "Station Road",
    "Church Lane",
    "Mill Lane",
    "London Road",
    "Orchard Close",
    "The Street",
    "Hop Garden Way",
    "Marsh Lane",
]
INTERPRETER_LANGUAGES = ["Romanian", "Slovak", "Czech", "Polish", "Romani", "Arabic", "Bengali"]
HEALTH_NOTES = [
    "Asthma; uses an inhaler",
    "Uses a wheelchair outside the home: needs step-free access",
    "Type 2 diabetes",
    "COPD: cannot manage stairs",
    "Anxiety and depression (GP letter on file)",
    "Registered partially sighted",
]
# (ethnic group, weight): the mix on a county's Traveller sites and on its housing register.
TRAVELLER_ETHNICITY = [
    ("gypsy_romany", 45),
    ("irish_traveller", 28),
    ("roma", 5),
    ("showperson", 3),
    ("new_traveller", 4),
    ("welsh_traveller", 2),
    ("scottish_traveller", 2),
    ("white_british", 4),
    ("prefer_not_to_say", 7),
]
GENERAL_ETHNICITY = [
    ("white_british", 70),
    ("white_irish", 2),
    ("white_other", 7),
    ("mixed_white_black_caribbean", 2),
    ("mixed_white_asian", 2),
    ("asian_indian", 3),
    ("asian_pakistani", 2),
    ("asian_bangladeshi", 1),
    ("black_african", 4),
    ("black_caribbean", 1),
    ("arab", 1),
    ("other", 1),
    ("prefer_not_to_say", 4),
]


def sites_load(demo: Demo) -> None:
    """The demo sites and their units (sites/demo.py), each given its residents and a few
    applicants as it is made."""
    for spec in sites_demo.DEMO_SITES:
        site, units = sites_demo.demo_site_create(demo.rng, spec, by=demo.admin)
        households_create(demo.rng, site, units, demo.admin, applicants=3)


SITES = DemoStep(loaded=sites_demo.sites_loaded, load=sites_load)


def scale_load(demo: Demo, scale: int) -> None:
    """About 12 sites, 300 units and 4,000 people per unit of scale (a county and its homes)."""
    start = sites_demo.scale_sites_loaded()
    target = sites_demo.SCALE_SITES * scale
    if start >= target:
        demo.stdout.write(f"Scale data for × {scale} is already loaded; nothing to do.")
        return
    for index in range(start, target):
        with transaction.atomic():
            site, units = sites_demo.scale_site_create(demo.rng, index, by=demo.admin)
            # Most people on a county register are applicants, not yet residents.
            households_create(demo.rng, site, units, demo.admin, applicants=70)
        if (index + 1) % sites_demo.SCALE_SITES == 0:
            demo.stdout.write(f"{index + 1} of {target} sites")
    demo.stdout.write(
        demo.style.SUCCESS(f"{sites_demo.scale_totals()}, {Person.objects.count()} people.")
    )


def licences_loaded() -> bool:
    # The census demo adds licences of its own: the handbook marks the licences demo.
    return HandbookSection.objects.exists()


def licences_load(demo: Demo, *, units_taken: QuerySet, households_taken: QuerySet) -> None:
    """The resident handbook (a common part and each pitch site's part, printed), a licence
    awaiting sign-up and a signed one whose new-resident visit is under way, all through
    the residents services. The PDFs are drawn here, as the worker would."""
    officer = demo.user("officer")
    manager = demo.user("sitesmanager")
    today = timezone.localdate()
    for position, (heading, body) in enumerate(DEMO_HANDBOOK_COMMON, start=1):
        resident_services.handbook_section_create(
            heading=heading, body=body, position=position * 10, by=manager
        )
    pitch_sites = Site.objects.filter(kind=Site.Kind.GYPSY_TRAVELLER_SITE).order_by("name")
    for site in pitch_sites:
        for topic, heading, body in DEMO_HANDBOOK_SITE:
            resident_services.handbook_section_create(
                site=site, topic=topic, heading=heading, body=body.format(site=site), by=manager
            )
    first_site = pitch_sites.first()
    edition = resident_services.handbook_edition_request(site=first_site, by=manager)
    document_render(model="residents.HandbookEdition", pk=edition.pk)
    voids = list(
        Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID, site=first_site)
        .exclude(pk__in=units_taken)
        .order_by("reference")[:2]
    )
    households = list(
        Household.objects.filter(unit__isnull=True)
        .filter(people__relationship=Person.Relationship.LEAD)
        .exclude(pk__in=households_taken)
        .order_by("-reference")[:2]
    )
    for index, (unit, household) in enumerate(zip(voids, households, strict=False)):
        licence = resident_services.licence_draft_create(
            household=household, unit=unit, start_date=today, by=officer
        )
        if index == 0:
            continue  # awaiting sign-up
        licence_documents_drawn(licence, by=officer, days_ago=28)
        # Given four weeks before signing, as the Mobile Homes Act 1983 (s.1) asks.
        resident_services.licence_written_statement_give(
            licence=licence, given_on=today - timedelta(days=28), by=officer
        )
        licence = resident_services.licence_sign(
            licence=licence, signed_on=today, witnessed_by=demo.user("officer2"), by=officer
        )
        resident_services.visit_dates_record(visit=licence.visit, visited_on=today, by=officer)


def licence_documents_drawn(licence, *, by, days_ago: int) -> None:
    """The demo's documents for a licence, drawn `days_ago` (so that its written statement can
    be recorded as given that day: never before it was drawn)."""
    for document in resident_services.licence_documents_request(licence=licence, by=by):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    licence.documents.filter(superseded_at__isnull=True).update(
        requested_at=timezone.now() - timedelta(days=days_ago)
    )


def household_reference_numbers(count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('residents_household_reference_seq') FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def households_create(rng, site, units, by, *, applicants: int = 0) -> None:
    """Residents for the occupied units and applicants with no unit yet, with history rows.

    Scale data goes in through simple_history's bulk helper, which writes the history too
    (the services, with their duplicate checks, would take minutes at county scale). The
    people's ids are taken from the sequence first, so couples can point at each other
    in the same insert.
    """
    travellers = site.kind != Site.Kind.HOUSING_SCHEME
    homes = [unit for unit in units if unit.status == Unit.Status.OCCUPIED]
    # The one reference format (H-000123), from the sequence the app itself uses.
    numbers = household_reference_numbers(len(homes) + applicants)
    plans = [
        (f"H-{number:06d}", unit)
        for number, unit in zip(numbers, [*homes, *([None] * applicants)], strict=True)
    ]
    households, surnames = [], []
    for reference, unit in plans:
        surname = rng.choice(LAST_NAMES)
        surnames.append(surname)
        households.append(
            Household(
                reference=reference,
                unit=unit,
                **_contact(rng, site, unit, surname=surname, travellers=travellers),
            )
        )
    households = bulk_create_with_history(households, Household, default_user=by)
    people, couples = [], []
    for household, surname in zip(households, surnames, strict=True):
        size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 18, 18, 20, 16, 10, 8])[0]
        ethnicity = _ethnicity(rng, travellers)
        status = (
            rng.choices(["yes", "not_assessed"], weights=[8, 2])[0]
            if travellers
            else "not_assessed"
        )
        members = []
        for index in range(size):
            sex = rng.choice(["female", "male"])
            if index == 0:
                age, relationship = rng.randint(19, 80), Person.Relationship.LEAD
            elif index == 1 and rng.random() < 0.7:
                age, relationship = rng.randint(19, 75), Person.Relationship.PARTNER
            else:
                age, relationship = rng.randint(0, 30), Person.Relationship.CHILD
            person = Person(
                household=household,
                first_name=rng.choice(FIRST_NAMES[sex]),
                last_name=surname,
                date_of_birth=date(2026, 1, 1) - timedelta(days=age * 365 + rng.randint(0, 364)),
                relationship=relationship,
                sex=sex,
                ethnicity=ethnicity if rng.random() < 0.9 else "",
                gypsy_traveller_status=status,
                health_notes=rng.choice(HEALTH_NOTES) if rng.random() < 0.1 else "",
            )
            if sex == "female" and 19 <= age <= 40 and rng.random() < 0.03:
                person.pregnancy_due_date = date(2026, 11, 1) + timedelta(days=rng.randint(20, 200))
                person.pregnancy_evidence = "MATB1 form seen by the officer"
            members.append(person)
        if len(members) > 1 and members[1].relationship == Person.Relationship.PARTNER:
            couples.append((members[0], members[1]))
        people += members
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('residents_person', 'id')) "
            "FROM generate_series(1, %s)",
            [len(people)],
        )
        for person, (pk,) in zip(people, cursor.fetchall(), strict=True):
            person.pk = pk
    for lead, partner in couples:
        # A couple shares a bedroom: the link goes both ways.
        lead.partner, partner.partner = partner, lead
    bulk_create_with_history(people, Person, default_user=by, batch_size=2000)


def _contact(rng, site, unit, *, surname: str, travellers: bool) -> dict:
    """Address, contact details and communication needs, as a council would hold them."""
    if unit is not None:
        address = {
            "address_line_1": f"{unit.reference}, {site.name}",
            "address_line_2": site.address_line_1,
            "town": site.town,
            "postcode": site.postcode,
        }
    elif travellers and rng.random() < 0.25:
        address = {}  # roadside or doubled up: no fixed address
    else:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        address = {
            "address_line_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "town": rng.choice(sites_demo.TOWNS),
            "postcode": f"{rng.choice(['ME', 'CT', 'TN', 'DA'])}{rng.randint(1, 20)} "
            f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}",
        }
    phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.85 else ""
    email = (
        f"{surname.lower()}{rng.randint(1, 99)}@example.com"
        if rng.random() < (0.2 if travellers else 0.5)
        else ""
    )
    literacy_support = rng.random() < (0.3 if travellers else 0.08)
    ways = ["in_person"]
    if address:
        ways += ["letter"] * (1 if literacy_support else 4)
    if phone:
        ways += ["phone"] * 3 + ["text"] * 2
    if email:
        ways += ["email"] * 2
    interpreter = rng.random() < (0.03 if travellers else 0.06)
    return {
        **address,
        "phone": phone,
        "email": email,
        "preferred_contact": rng.choice(ways),
        "interpreter_needed": interpreter,
        "interpreter_language": rng.choice(INTERPRETER_LANGUAGES) if interpreter else "",
        "literacy_support": literacy_support,
        "easy_read": literacy_support and rng.random() < 0.5,
        "large_print": rng.random() < 0.05,
        "notes": "Contact through the site liaison officer" if travellers and not address else "",
    }


def _ethnicity(rng, travellers: bool) -> str:
    groups, weights = zip(*(TRAVELLER_ETHNICITY if travellers else GENERAL_ETHNICITY), strict=True)
    return rng.choices(groups, weights=weights)[0]
