from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sites.models import Site, Unit

# The smallest bytes the uploads accept as a PNG: the signature and the IHDR chunk a real PNG
# starts with (config.forms.DocumentField checks both).
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@northshire.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Test site {n:03d}")
    reference = factory.Sequence(lambda n: f"T-{n:03d}")
    kind = Site.Kind.GYPSY_TRAVELLER_SITE
    address_line_1 = "1 Station Road"
    town = "Ashford"
    postcode = "TN23 4QP"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    site = factory.SubFactory(SiteFactory)
    reference = factory.Sequence(lambda n: f"Pitch {n}")
    kind = Unit.Kind.PITCH
    status = Unit.Status.OCCUPIED
    weekly_charge = Decimal("82.50")
    has_electricity_meter = True
    max_caravans = 2


class HomeFactory(UnitFactory):
    reference = factory.Sequence(lambda n: f"Flat {n}")
    kind = Unit.Kind.HOME
    bedrooms = 2
    max_caravans = None
    has_electricity_meter = False


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.Household"

    reference = factory.Sequence(lambda n: f"T-H-{n:05d}")
    address_line_1 = factory.Sequence(lambda n: f"{n % 200 + 1} Mill Lane")
    town = "Ashford"
    postcode = "TN23 4QP"


class PersonFactory(factory.django.DjangoModelFactory):
    """The lead applicant of a new household, unless told otherwise."""

    class Meta:
        model = "residents.Person"

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Sequence(lambda n: f"Mary{n}")
    last_name = "Boswell"
    # 25 or over, so a lead is an adult on any start date a test gives a licence (a holder
    # must be 18 or over on it).
    date_of_birth = factory.Faker("date_of_birth", minimum_age=25, maximum_age=80)
    relationship = "lead"
    sex = "female"


class LicenceFactory(factory.django.DjangoModelFactory):
    """A live licence on a pitch, held by a new household (add its people with PersonFactory)."""

    class Meta:
        model = "residents.Licence"

    reference = factory.Sequence(lambda n: f"T-L-{n:05d}")
    household = factory.SubFactory(HouseholdFactory)
    unit = factory.SubFactory(UnitFactory)
    status = "live"
    start_date = factory.Faker("date_between", start_date="-5y", end_date="-30d")
    weekly_fee = Decimal("85.00")
    deposit = Decimal("170.00")
    terms_version = "2026-1"
