"""Realistic demo data, and county-scale data for benchmarks.

    manage.py demo_load              # the demo: a handful of sites, homes, every role and
                                     # the head of service's improvement project
    manage.py demo_load --scale 10   # about 120 sites, 3,000 units and 40,000 people

Deterministic for a given --seed. Loads once: a second run finds the data and does nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from allocations import casework
from allocations import services as allocation_services
from allocations.models import Application, Partner, Scheme, Vacancy
from census import services as census_services
from census.models import CensusRound
from config.kernel.documents import document_render
from config.roles import ROLES
from projects import services as project_services
from projects.models import Project
from residents import services as resident_services
from residents.models import HandbookSection, Household, Licence, LicenceOccupant, Person
from sites import services as site_services
from sites.models import Site, Unit

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented in the README; demo only

# (username, first name, last name, role)
DEMO_USERS = [
    ("officer", "Olivia", "Okafor", "officer"),
    ("officer2", "Owen", "Price", "officer"),
    ("teamleader", "Tariq", "Lewis", "team_leader"),
    ("auditor", "Alice", "Murray", "auditor"),
    ("sitesmanager", "Sam", "Hughes", "sites_manager"),
    ("support", "Bina", "Shah", "business_support"),
    ("head", "Helen", "Carter", "head_of_service"),
    ("admin", "Adam", "Reid", "administrator"),
]

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

DEMO_SITES = [
    # name, reference, kind, town, postcode, parish, pitches or homes
    ("Oak Lane", "GT-01", Site.Kind.GYPSY_TRAVELLER_SITE, "Ashford", "TN23 4QP", "Kingsnorth", 18),
    (
        "Willow Park",
        "GT-02",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Maidstone",
        "ME15 9RT",
        "Boughton Monchelsea",
        24,
    ),
    (
        "Hop Garden",
        "GT-03",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Canterbury",
        "CT4 7AB",
        "Chartham",
        12,
    ),
    (
        "Marsh Road",
        "GT-04",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Sittingbourne",
        "ME10 3SX",
        "Milton",
        15,
    ),
    (
        "Bramble Way stopping place",
        "SP-01",
        Site.Kind.STOPPING_PLACE,
        "Dover",
        "CT16 2HN",
        "Whitfield",
        6,
    ),
    (
        "Elm Court estate",
        "HS-01",
        Site.Kind.HOUSING_SCHEME,
        "Folkestone",
        "CT19 5DE",
        "Cheriton",
        30,
    ),
]

DEMO_PROJECT = "Site improvement programme 2026–27"

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
TOWNS = [
    "Ashford",
    "Maidstone",
    "Canterbury",
    "Dover",
    "Folkestone",
    "Tonbridge",
    "Sevenoaks",
    "Margate",
    "Ramsgate",
    "Deal",
    "Faversham",
    "Whitstable",
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


DEMO_PARTNERS = [
    (
        "police",
        "Northshire Police",
        "Information Sharing Desk",
        "isd@northshire-police.example",
        "Northshire ISA 2024/03 (police)",
    ),
    (
        "previous_landlord",
        "Northshire Homes (housing association)",
        "Tenancy Services",
        "tenancies@northshirehomes.example",
        "Northshire Homes data-sharing protocol 2023",
    ),
    (
        "other_council",
        "Westmoor District Council",
        "Housing Options",
        "housing@westmoor.example",
        "Regional housing ISA 2022",
    ),
    (
        "social_care",
        "Northshire Children's Services",
        "Front Door",
        "frontdoor@northshire.example",
        "Northshire multi-agency ISA 2024",
    ),
    (
        "probation",
        "Probation Service, Northshire",
        "Accommodation Lead",
        "accommodation@probation.example",
        "Northshire ISA 2024/03 (probation)",
    ),
]


class Command(BaseCommand):
    help = (
        "Load demo data (users for every role, sites, units, households); --scale for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="County-scale × N (N ≥ 1).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 0:
            raise CommandError("--scale must be 0 (the demo) or a positive whole number.")
        rng = random.Random(seed)
        admin = self._users()
        if scale:
            self._scale(rng, scale, admin)
            return
        sites_loaded = Site.objects.filter(reference="GT-01").exists()
        project_loaded = Project.objects.filter(name=DEMO_PROJECT).exists()
        allocations_loaded = Application.objects.exists()
        casework_loaded = Partner.objects.exists()
        # The census demo adds licences of its own: the handbook marks the licences demo.
        licences_loaded = HandbookSection.objects.exists()
        census_loaded = CensusRound.objects.exists()
        loaded = (sites_loaded, project_loaded, allocations_loaded, casework_loaded)
        if all((*loaded, licences_loaded, census_loaded)):
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        with transaction.atomic():
            if not sites_loaded:
                self._sites(rng, admin)
            if not project_loaded:
                self._project()
            if not allocations_loaded:
                self._allocations(rng)
            # Licences first: they take Hop Garden's voids; casework's vacancy takes another.
            if not licences_loaded:
                self._licences()
            if not casework_loaded:
                self._casework()
            if not census_loaded:
                self._census(rng)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Every demo user's password is {DEMO_PASSWORD}")
        )

    def _allocations(self, rng):
        """A few pitch applications at each stage and an advertised vacancy with applicants,
        all through the engine's services, so the demo shows the whole path. One application
        is found invalid: its letter is drawn by the Celery worker once `make run` is up."""
        officer = get_user_model().objects.get(username="officer")
        today = timezone.localdate()
        policy = allocation_services.policy_in_force(scheme=Scheme.PITCH, on=today)
        households = list(
            Household.objects.filter(reference__startswith="A-").order_by("reference")[:7]
        )
        active = []
        for index, household in enumerate(households):
            application = allocation_services.application_create(
                household=household,
                scheme=Scheme.PITCH,
                kind=rng.choice(["new", "new", "transfer", "adult_child"]),
                registration_date=today - timedelta(days=rng.randint(60, 900)),
                consent_to_enquiries=True,
                by=officer,
            )
            if index == 0:
                continue  # left as a draft
            allocation_services.application_submit(application=application, by=officer)
            if index == 1:
                continue  # awaiting validation
            answers = {item["code"]: {"met": True} for item in policy.rules["eligibility"]}
            answers |= {item["code"]: {"met": False} for item in policy.rules["exclusions"]}
            if index == 2:
                answers[policy.rules["eligibility"][3]["code"]] = {
                    "met": False,
                    "note": "Only one reference received, from a family member",
                }
            allocation_services.application_validate(
                application=application, answers=answers, by=officer
            )
            if index == 2:
                continue  # invalid, with its letter
            criteria = rng.sample(policy.rules["criteria"], k=rng.randint(0, 3))
            allocation_services.application_assess(
                application=application,
                criteria=[
                    {"code": c["code"], "evidence": "Seen at the office visit"} for c in criteria
                ],
                local_connection=rng.choice([0, 1, 2, 3]),
                by=officer,
            )
            active.append(application)
        unit = Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID).first()
        if unit is None:
            return
        vacancy = allocation_services.vacancy_create(
            unit=unit,
            scheme=Scheme.PITCH,
            advert_text=f"{unit.reference} at {unit.site.name}: a pitch with an amenity block.",
            opens_on=today - timedelta(days=3),
            closes_on=today + timedelta(days=11),
            by=officer,
        )
        allocation_services.vacancy_advertise(vacancy=vacancy, by=officer)
        for application in active:
            allocation_services.bid_place(vacancy=vacancy, application=application, by=officer)

    def _casework(self):
        """Partners for due-diligence checks, and a second vacancy whose shortlist is frozen,
        its top applicant part-way through: interview tomorrow, one check back, one waiting."""
        officer = get_user_model().objects.get(username="officer")
        today = timezone.localdate()
        partners = {
            kind: casework.partner_save(
                partner=Partner(
                    name=name,
                    kind=kind,
                    contact_name=contact,
                    email=email,
                    agreement=agreement,
                ),
                by=officer,
            )
            for kind, name, contact, email, agreement in DEMO_PARTNERS
        }
        active = list(
            Application.objects.filter(status=Application.Status.ACTIVE).order_by("reference")
        )
        unit = (
            Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID)
            .exclude(vacancies__isnull=False)
            .first()
        )
        if unit is None or not active:
            return
        vacancy = allocation_services.vacancy_create(
            unit=unit,
            scheme=Scheme.PITCH,
            advert_text=f"{unit.reference} at {unit.site.name}: a pitch close to the school.",
            opens_on=today - timedelta(days=21),
            closes_on=today,
            by=officer,
        )
        allocation_services.vacancy_advertise(vacancy=vacancy, by=officer)
        for application in active:
            allocation_services.bid_place(vacancy=vacancy, application=application, by=officer)
        entries = allocation_services.shortlist_freeze(vacancy=vacancy, by=officer)
        top = min((e for e in entries if e.eligible), key=lambda e: e.position).application
        tomorrow = today + timedelta(days=1)
        casework.interview_schedule(
            application=top,
            starts_at=timezone.make_aware(datetime.combine(tomorrow, time(10, 30))),
            place="County Hall, interview room 2",
            lead_officer=officer,
            by=officer,
        )
        landlord = casework.check_request(
            application=top,
            partner=partners["previous_landlord"],
            purpose="Tenancy history for a pitch offer",
            legal_basis="Applicant's signed consent",
            consent_reference="Form A1, page 4",
            requested_on=today - timedelta(days=9),
            due_on=today - timedelta(days=2),
            by=officer,
        )
        casework.check_return(
            check=landlord,
            returned_on=today - timedelta(days=3),
            outcome="clear",
            notes="Rent paid on time; no complaints.",
            by=officer,
        )
        casework.check_request(
            application=top,
            partner=partners["police"],
            purpose="Safety of residents and staff for a pitch offer",
            legal_basis="Northshire ISA 2024/03 clause 4.2",
            due_on=today + timedelta(days=10),
            by=officer,
        )

    def _census(self, rng):
        """This year's census on Hop Garden: live licences for its resident households (where
        none are recorded yet), the round started, and a few returns in, one with a new person
        found, so the round's progress, follow-up tasks and reports have something to show."""
        officer = get_user_model().objects.get(username="officer")
        second = get_user_model().objects.get(username="officer2")
        site = Site.objects.get(reference="GT-03")
        today = timezone.localdate()
        households = Household.objects.filter(unit__site=site).select_related("unit")
        for household in households.order_by("reference"):
            unit = household.unit
            if unit.kind != Unit.Kind.PITCH or unit.licences.exclude(status="draft").exists():
                continue
            start = today - timedelta(days=rng.randint(400, 3000))
            licence = Licence(
                reference=resident_services.licence_reference_next(),
                household=household,
                unit=unit,
                status=Licence.Status.LIVE,
                start_date=start,
                weekly_fee=unit.weekly_charge,
                deposit=unit.weekly_charge * 2,
                terms_version="2026-1",
            )
            licence._history_user, licence._change_reason = officer, "Demo data"
            licence.save()
            for person in household.people.order_by("pk"):
                named = LicenceOccupant(
                    licence=licence,
                    person=person,
                    role=(
                        LicenceOccupant.Role.HOLDER
                        if person.relationship == Person.Relationship.LEAD
                        else LicenceOccupant.Role.OCCUPANT
                    ),
                    from_date=max(start, person.date_of_birth),
                )
                named._history_user, named._change_reason = officer, "Demo data"
                named.save()
        census_round = census_services.round_create(
            year=today.year,
            planned_start=today - timedelta(days=7),
            deadline=today + timedelta(days=30),
            sites=[site],
            by=officer,
        )
        census_services.round_start(census_round=census_round, by=officer)
        returns = list(
            census_round.returns.filter(licence__isnull=False).order_by("unit__reference")
        )
        for index, census_return in enumerate(returns[:4]):
            census_services.return_save(
                census_return=census_return,
                by=officer,
                holder_present=True,
                caravans=rng.randint(1, 2),
                visited_on=today - timedelta(days=2),
                officer=officer,
                second_officer=second,
                findings={o.pk: "confirmed" for o in census_return.occupants.all()},
                new_people=([{"name": "Jimmy Doran", "approximate_age": 24}] if index == 1 else []),
            )
            if index < 3:
                census_services.return_submit(census_return=census_return, by=officer)

    def _licences(self):
        """The resident handbook (a common part and each pitch site's part, printed), a licence
        awaiting sign-up and a signed one whose new-resident visit is under way, all through
        the residents services. The PDFs are drawn here, as the worker would."""
        officer = get_user_model().objects.get(username="officer")
        manager = get_user_model().objects.get(username="sitesmanager")
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
            .exclude(pk__in=Vacancy.objects.values("unit_id"))
            .order_by("reference")[:2]
        )
        households = list(
            Household.objects.filter(reference__startswith="A-")
            .filter(people__relationship=Person.Relationship.LEAD)
            .exclude(applications__isnull=False)
            .order_by("-reference")[:2]
        )
        for index, (unit, household) in enumerate(zip(voids, households, strict=False)):
            licence = resident_services.licence_draft_create(
                household=household, unit=unit, start_date=today, by=officer
            )
            if index == 0:
                continue  # awaiting sign-up
            for document in resident_services.licence_documents_request(
                licence=licence, by=officer
            ):
                document_render(model="residents.LicenceDocument", pk=document.pk)
            resident_services.licence_written_statement_give(
                licence=licence, given_on=today, by=officer
            )
            licence = resident_services.licence_sign(
                licence=licence, signed_on=today, witnessed_by=officer, by=officer
            )
            resident_services.visit_dates_record(visit=licence.visit, visited_on=today, by=officer)

    def _users(self):
        User = get_user_model()
        groups = {
            group.name: group for group in Group.objects.filter(name__in=[r.name for r in ROLES])
        }
        admin = None
        for username, first, last, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@northshire.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(groups[role])
            if role == "administrator":
                admin = user
        return admin

    def _sites(self, rng, admin):
        for name, reference, kind, town, postcode, parish, count in DEMO_SITES:
            site = site_services.site_create(
                by=admin,
                reason="Demo data",
                name=name,
                reference=reference,
                kind=kind,
                address_line_1=f"{rng.randint(1, 90)} {name.split()[0]} Road",
                town=town,
                postcode=postcode,
                parish=parish,
                opened_on=date(rng.randint(1975, 2015), rng.randint(1, 12), 1),
            )
            units = self._units(rng, site, count, admin)
            self._households(rng, site, units, admin, applicants=3)

    def _project(self):
        """The head of service's improvement programme, with work in the demo officers' queues:
        one task overdue, one due tomorrow and one done; a milestone and a risk."""
        users = get_user_model().objects.in_bulk(
            ["head", "officer", "officer2"], field_name="username"
        )
        head, officer, officer2 = users["head"], users["officer"], users["officer2"]
        today = timezone.localdate()
        project = project_services.project_create(
            by=head,
            name=DEMO_PROJECT,
            description="Resurfacing, drainage and amenity-block repairs across the pitch sites.",
            lead=head,
            status=Project.Status.ACTIVE,
            rag=Project.Rag.AMBER,
            rag_reason="The drainage survey is late.",
            start_on=date(2026, 4, 1),
            target_on=date(2027, 3, 31),
        )
        tasks = [
            ("Commission the drainage survey at Oak Lane", officer, today - timedelta(days=3)),
            ("Get three quotes for resurfacing Willow Park", officer2, today + timedelta(days=1)),
            ("Photograph the amenity blocks at Hop Garden", officer, today - timedelta(days=10)),
        ]
        created = [
            project_services.project_task_create(
                project=project, by=head, title=title, due_on=due_on, assignee=assignee
            )
            for title, assignee, due_on in tasks
        ]
        project_services.work_item_complete(item=created[2], by=officer)
        project_services.milestone_add(
            project=project,
            title="Contractor appointed",
            due_on=today + timedelta(days=30),
            by=head,
        )
        project_services.risk_add(
            project=project,
            by=head,
            title="Contractors are not available over the winter",
            likelihood=2,
            impact=3,
            owner=officer2,
            mitigation="Book the work before October; keep a second contractor on the list.",
            review_on=today + timedelta(days=14),
        )

    def _units(self, rng, site, count, by):
        units = []
        for number in range(1, count + 1):
            status = rng.choices([Unit.Status.OCCUPIED, Unit.Status.VOID], weights=[9, 1])[0]
            void = {}
            if status == Unit.Status.VOID:
                void_date = date(2026, 11, 1) - timedelta(days=rng.randint(3, 120))
                void = {
                    "void_date": void_date,
                    "ready_to_let_date": void_date + timedelta(days=rng.randint(14, 60)),
                    "void_reason": rng.choice(
                        [r for r, _ in Unit.VoidReason.choices if r != "new_build"]
                    ),
                }
            if site.kind == Site.Kind.HOUSING_SCHEME:
                fields = {
                    "reference": f"Flat {number}",
                    "kind": Unit.Kind.HOME,
                    "bedrooms": rng.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                    "floor_level": rng.randint(0, 3),
                    "accessibility": rng.choice(["c", "d", "e", "e", "e"]),
                    "weekly_charge": Decimal(rng.randint(9000, 14000)) / 100,
                }
            else:
                has_block = rng.random() < 0.9
                fields = {
                    "reference": f"Pitch {number}",
                    "kind": Unit.Kind.PITCH,
                    "has_amenity_block": has_block,
                    "amenity_block_condition": rng.choice(["good", "good", "fair", "poor"])
                    if has_block
                    else "",
                    "has_electricity_meter": True,
                    "has_water_meter": rng.random() < 0.7,
                    "has_gas_meter": rng.random() < 0.2,
                    "max_caravans": rng.choice([1, 2, 2, 3]),
                    "weekly_charge": Decimal(rng.randint(6500, 9500)) / 100,
                }
            unit = site_services.unit_create(
                site=site, by=by, reason="Demo data", status=status, **fields, **void
            )
            units.append(unit)
        return units

    def _households(self, rng, site, units, by, *, applicants: int = 0):
        """Residents for the occupied units and applicants with no unit yet, with history rows.

        Scale data goes in through simple_history's bulk helper, which writes the history too
        (the services, with their duplicate checks, would take minutes at county scale). The
        people's ids are taken from the sequence first, so couples can point at each other
        in the same insert.
        """
        travellers = site.kind != Site.Kind.HOUSING_SCHEME
        plans = [
            (f"H-{unit.pk:07d}", unit) for unit in units if unit.status == Unit.Status.OCCUPIED
        ]
        plans += [(f"A-{site.pk:05d}-{number:04d}", None) for number in range(applicants)]
        households, surnames = [], []
        for reference, unit in plans:
            surname = rng.choice(LAST_NAMES)
            surnames.append(surname)
            households.append(
                Household(
                    reference=reference,
                    unit=unit,
                    **self._contact(rng, site, unit, surname=surname, travellers=travellers),
                )
            )
        households = bulk_create_with_history(households, Household, default_user=by)
        people, couples = [], []
        for household, surname in zip(households, surnames, strict=True):
            size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 18, 18, 20, 16, 10, 8])[0]
            ethnicity = self._ethnicity(rng, travellers)
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
                    date_of_birth=date(2026, 1, 1)
                    - timedelta(days=age * 365 + rng.randint(0, 364)),
                    relationship=relationship,
                    sex=sex,
                    ethnicity=ethnicity if rng.random() < 0.9 else "",
                    gypsy_traveller_status=status,
                    health_notes=rng.choice(HEALTH_NOTES) if rng.random() < 0.1 else "",
                )
                if sex == "female" and 19 <= age <= 40 and rng.random() < 0.03:
                    person.pregnancy_due_date = date(2026, 11, 1) + timedelta(
                        days=rng.randint(20, 200)
                    )
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

    def _contact(self, rng, site, unit, *, surname: str, travellers: bool) -> dict:
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
                "town": rng.choice(TOWNS),
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
            "notes": "Contact through the site liaison officer"
            if travellers and not address
            else "",
        }

    def _ethnicity(self, rng, travellers: bool) -> str:
        groups, weights = zip(
            *(TRAVELLER_ETHNICITY if travellers else GENERAL_ETHNICITY), strict=True
        )
        return rng.choices(groups, weights=weights)[0]

    def _scale(self, rng, scale, admin):
        """About 12 sites, 300 units and 4,000 people per unit of scale (a county and its homes)."""
        start = Site.objects.filter(reference__startswith="SC-").count()
        target = 12 * scale
        if start >= target:
            self.stdout.write(f"Scale data for × {scale} is already loaded; nothing to do.")
            return
        for index in range(start, target):
            with transaction.atomic():
                housing = index % 4 == 3
                site = site_services.site_create(
                    by=admin,
                    reason="Benchmark data",
                    name=f"{rng.choice(TOWNS)} {'estate' if housing else 'site'} {index + 1:04d}",
                    reference=f"SC-{index + 1:04d}",
                    kind=Site.Kind.HOUSING_SCHEME if housing else Site.Kind.GYPSY_TRAVELLER_SITE,
                    address_line_1=f"{rng.randint(1, 200)} Station Road",
                    town=rng.choice(TOWNS),
                    postcode=f"ME{rng.randint(1, 20)} {rng.randint(1, 9)}AB",
                )
                units = self._units(rng, site, 55 if housing else 16, admin)
                # Most people on a county register are applicants, not yet residents.
                self._households(rng, site, units, admin, applicants=70)
            if (index + 1) % 12 == 0:
                self.stdout.write(f"{index + 1} of {target} sites")
        self.stdout.write(
            self.style.SUCCESS(
                f"{Site.objects.count()} sites, {Unit.objects.count()} units, "
                f"{Person.objects.count()} people."
            )
        )
