from datetime import date, timedelta

import factory
from django.utils import timezone

from allocations import services
from allocations.models import Application, PolicyVersion, Scheme, Vacancy
from residents.models import Household, Person
from sites.models import Unit
from tests.factories import UnitFactory


def pitch_policy() -> PolicyVersion:
    return services.policy_in_force(scheme=Scheme.PITCH, on=timezone.localdate())


class HouseholdWithPeopleFactory(factory.django.DjangoModelFactory):
    """A household of `people` (default 3): a couple in their thirties and children."""

    class Meta:
        model = Household
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"HT-{n:06d}")

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if not create:
            return
        count = 3 if extracted is None else extracted
        today = timezone.localdate()
        for index in range(count):
            relationship, age, sex = {
                0: (Person.Relationship.LEAD, 38, Person.Sex.FEMALE),
                1: (Person.Relationship.PARTNER, 40, Person.Sex.MALE),
            }.get(index, (Person.Relationship.CHILD, 2 + 3 * index, Person.Sex.FEMALE))
            Person.objects.create(
                household=self,
                first_name=f"Person{index}",
                last_name=f"Family{self.pk}",
                date_of_birth=today - timedelta(days=365 * age + 30),
                relationship=relationship,
                sex=sex,
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"TEST-{n:06d}")
    household = factory.SubFactory(HouseholdWithPeopleFactory)
    scheme = Scheme.PITCH
    kind = Application.Kind.NEW
    status = Application.Status.DRAFT
    registration_date = date(2024, 1, 1)
    effective_date = factory.LazyAttribute(lambda application: application.registration_date)
    consent_to_enquiries = True


class ActiveApplicationFactory(ApplicationFactory):
    status = Application.Status.ACTIVE
    points = 0
    bedroom_need = 2
    registration_date = date(2022, 1, 1)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    reference = factory.Sequence(lambda n: f"VT-{n:04d}")
    # The unit is advertised while its vacancy is open (one letting state, moved by the steps).
    unit = factory.SubFactory(
        UnitFactory,
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
    )
    scheme = Scheme.PITCH
    advert_text = "A pitch with an amenity block, close to the school."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    # Closing today: bids are still taken today, and freezing it is not closing early.
    closes_on = factory.LazyFunction(timezone.localdate)
