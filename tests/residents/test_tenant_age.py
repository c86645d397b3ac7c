"""A tenant is an adult (18 or over) on the tenancy's first day, as a licence holder is: a draft
tenancy naming a lead under 18 as tenant is refused, naming them and their age."""

from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocations_services
from allocations.models import AllocationDecision
from residents import services
from residents.models import Licence, Person
from sites.models import Unit
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.factories import HomeFactory, PersonFactory
from tests.residents.test_tenancies import vacant_home

pytestmark = pytest.mark.django_db


def _aged(years: int, on=None):
    """A date of birth making someone `years` old on `on` (today)."""
    return (on or timezone.localdate()) - relativedelta(years=years, days=1)


def test_a_draft_tenancy_is_refused_for_a_lead_under_18_naming_them_and_their_age(officer):
    mary = PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=_aged(16))
    with pytest.raises(ValidationError, match="Mary Lee is 16: a tenant must be 18 or over"):
        services.tenancy_draft_create(
            household=mary.household,
            unit=vacant_home(),
            start_date=timezone.localdate(),
            by=officer,
        )
    assert not Licence.objects.filter(household=mary.household).exists()


def test_a_lead_who_is_18_by_the_start_date_is_the_tenant(officer):
    start = timezone.localdate() + relativedelta(days=14)
    mary = PersonFactory(first_name="Mary", last_name="Lee", date_of_birth=_aged(18, on=start))
    tenancy = services.licence_draft_create(
        household=mary.household, unit=vacant_home(), start_date=start, by=officer
    )
    assert tenancy.is_tenancy
    assert [str(h.person) for h in tenancy.occupants.filter(role="holder")] == ["Mary Lee"]


def test_approving_a_home_for_a_household_led_by_a_16_year_old_is_refused_on_the_page(
    client, officer, team_leader
):
    home = HomeFactory(
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
        weekly_charge=Decimal("101.20"),
        service_charge=Decimal("3.50"),
    )
    _vacancy, (entry,) = frozen_vacancy(officer, 50, unit=home)
    checks_back(entry.application, officer)
    offer = allocations_services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    allocations_services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = allocations_services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )
    household = entry.application.household
    lead = household.people.get(relationship=Person.Relationship.LEAD)
    # Arranged: the lead's date of birth as the records now say it (16 years old).
    Person.objects.filter(pk=lead.pk).update(date_of_birth=_aged(16))
    client.force_login(team_leader)
    response = client.post(
        reverse("allocations:decision-detail", args=[decision.pk]),
        {"decision": "approve", "comments": "Agreed"},
    )
    assert response.status_code == 400
    assert f"{lead} is 16: a tenant must be 18 or over" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == AllocationDecision.Status.AWAITING
    assert not Licence.objects.filter(household=household).exists()
