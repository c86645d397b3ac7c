import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from config.management.commands.demo_load import DEMO_PASSWORD, DEMO_USERS
from config.roles import ROLES
from residents.models import Person
from sites.models import Site, Unit

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_user_for_every_role_who_can_sign_in():
    call_command("demo_load", verbosity=0)
    assert {role for *_, role in DEMO_USERS} == {role.name for role in ROLES}
    for username, *_ in DEMO_USERS:
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)


def test_demo_data_has_pitch_sites_and_a_housing_estate_and_loads_once():
    call_command("demo_load", verbosity=0)
    counts = (Site.objects.count(), Unit.objects.count())
    assert Site.objects.filter(kind=Site.Kind.HOUSING_SCHEME).exists()
    assert Unit.objects.filter(kind=Unit.Kind.PITCH).count() > 50
    call_command("demo_load", verbosity=0)
    assert (Site.objects.count(), Unit.objects.count()) == counts


def test_scale_data_is_deterministic_for_a_seed():
    call_command("demo_load", scale=1, seed=7, verbosity=0)
    first = list(Unit.objects.order_by("pk").values_list("reference", "status", "weekly_charge"))
    people = Person.objects.count()
    assert Site.objects.filter(reference__startswith="SC-").count() == 12
    assert people > 3000
    # A fresh database and the same seed give the same data.
    Person.objects.all().delete()
    from residents.models import Household

    Household.objects.all().delete()
    Unit.objects.all().delete()
    Site.objects.all().delete()
    call_command("demo_load", scale=1, seed=7, verbosity=0)
    second = list(Unit.objects.order_by("pk").values_list("reference", "status", "weekly_charge"))
    assert second == first and Person.objects.count() == people
