"""Realistic demo data, and county-scale data for benchmarks.

    manage.py demo_load              # the demo: a handful of sites, homes, every role and
                                     # the head of service's improvement project
    manage.py demo_load --scale 10   # about 120 sites, 3,000 units and 40,000 people

Deterministic for a given --seed. Loads once: a second run finds the data and does nothing.

Each app keeps its own demo data in its `demo.py`; this command signs up the demo users and
runs the apps' steps in order. It names them by dotted path, as the settings name the apps:
`config` imports no app.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from config.demo import DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERS, Demo, DemoStep, users_load

__all__ = ["DEMO_PASSWORD", "DEMO_PROJECT", "DEMO_USERS", "SCALE", "STEPS", "Command"]

# Each app's step, in the order they build on each other. A step may use what the ones before
# it made, and the random generator is shared, so the order is part of the data.
STEPS = [
    "residents.demo.SITES",  # the sites and units (sites/demo.py), each with its households
    "projects.demo.PROJECT",
    "allocations.demo.APPLICATIONS",
    # Licences before casework: they take Hop Garden's voids; casework's vacancy takes another.
    "allocations.demo.LICENCES",  # residents' licences, on what the applications left
    "allocations.demo.CASEWORK",
    "allocations.demo_housekeeping.HOUSEKEEPING",  # need changes, renewals, suspensions
    # Choice-based lettings: cycles (open now, closed last week, one let), bids, results.
    "allocations.demo_lettings.CBL",
    # Direct lets: a decant approved and offered, an emergency move waiting for a team leader.
    "allocations.demo_directlets.DIRECT_LETS",
    # Extra Care: referrals from social care, last month's panel with its minutes, this month's.
    "allocations.demo_extracare.EXTRA_CARE",
    # Low-cost home ownership: a shared-ownership resale inside its 8-week window.
    "allocations.demo_resales.RESALES",
    # What a correction would have changed: a band corrected after the let home was frozen.
    "allocations.demo_corrections.CORRECTIONS",
    # Nominations: a provider's home nominated, rejected once with a reason, then accepted.
    "allocations.demo_nominations.NOMINATIONS",
    # CORE: the home lets signed up, with what CORE asks recorded (after the lettings demo).
    "allocations.demo_core.CORE",
    "census.demo.CENSUS",
    # Data protection: a subject access request in the queue, a retention batch to confirm.
    "allocations.privacy.demo.PRIVACY",
]
# The county-scale sites with their households, for benchmarks: (demo, scale) -> None.
SCALE = "residents.demo.scale_load"


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
        demo = Demo(
            rng=random.Random(seed), admin=users_load(), stdout=self.stdout, style=self.style
        )
        if scale:
            import_string(SCALE)(demo, scale)
            return
        steps: list[DemoStep] = [import_string(path) for path in STEPS]
        # Asked of every step before any runs: a step's data must not hide an earlier one's.
        loaded = [step.loaded() for step in steps]
        if all(loaded):
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        with transaction.atomic():
            for step, done in zip(steps, loaded, strict=True):
                if not done:
                    step.load(demo)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Every demo user's password is {DEMO_PASSWORD}")
        )
