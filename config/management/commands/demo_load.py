"""Realistic demo data, and county-scale data for benchmarks.

    manage.py demo_load              # the demo: a handful of sites, homes and every role
    manage.py demo_load --scale 10   # about 120 sites, 3,000 units and 40,000 people

Deterministic for a given --seed. Loads once: a second run finds the data and does nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from config.roles import ROLES
from residents.models import Household, Person
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
        if Site.objects.filter(reference="GT-01").exists():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        with transaction.atomic():
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
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Every demo user's password is {DEMO_PASSWORD}")
        )

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

        Households get their own services with the allocation engine (issue 3); until then
        scale data goes in through simple_history's bulk helper, which writes the history too.
        """
        households = [
            Household(reference=f"H-{unit.pk:07d}", unit=unit)
            for unit in units
            if unit.status == Unit.Status.OCCUPIED
        ]
        households += [
            Household(reference=f"A-{site.pk:05d}-{number:04d}") for number in range(applicants)
        ]
        households = bulk_create_with_history(households, Household, default_user=by)
        people = []
        for household in households:
            surname = rng.choice(LAST_NAMES)
            size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 18, 18, 20, 16, 10, 8])[0]
            for index in range(size):
                sex = rng.choice(["female", "male"])
                if index == 0:
                    age, relationship = rng.randint(19, 80), Person.Relationship.LEAD
                elif index == 1 and rng.random() < 0.7:
                    age, relationship = rng.randint(19, 75), Person.Relationship.PARTNER
                else:
                    age, relationship = rng.randint(0, 30), Person.Relationship.CHILD
                people.append(
                    Person(
                        household=household,
                        first_name=rng.choice(FIRST_NAMES[sex]),
                        last_name=surname,
                        date_of_birth=date(2026, 1, 1)
                        - timedelta(days=age * 365 + rng.randint(0, 364)),
                        relationship=relationship,
                        sex=sex,
                    )
                )
        bulk_create_with_history(people, Person, default_user=by, batch_size=2000)

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
