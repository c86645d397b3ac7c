"""The demo's cast and the shape of a demo step; each app's `demo.py` holds its own data.

`manage.py demo_load` signs up a user for every role (here: roles are the kernel's), then runs
the apps' steps in the order its STEPS list gives. A step is a `DemoStep`: whether its data is
already there, and how to load it. Each app's step takes what it needs from the apps below it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import OutputWrapper

from config.roles import ROLES

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
    # A registered provider's lettings officer (Northshire Homes, allocations/demo_nominations.py).
    ("provider", "Priya", "Nair", "provider_staff"),
]

# The head of service's project (projects/demo.py); named here with the cast because the
# README's walk-through and the demo's tests refer to it.
DEMO_PROJECT = "Site improvement programme 2026–27"


@dataclass
class Demo:
    """What every step is given: one random generator for the whole run (so a seed gives the
    same data), the administrator who loads it, and the command's output."""

    rng: random.Random
    admin: Any
    stdout: OutputWrapper
    style: Any

    def user(self, username: str):
        return get_user_model().objects.get(username=username)


@dataclass(frozen=True)
class DemoStep:
    """One app's piece of the demo: `loaded()` says whether it is there, `load(demo)` makes it."""

    loaded: Callable[[], bool]
    load: Callable[[Demo], None]


def users_load():
    """A user for every role, each with DEMO_PASSWORD; returns the administrator."""
    User = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=[r.name for r in ROLES])}
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
