from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sites import services
from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db

SITE = {
    "name": "Hop Garden",
    "reference": "GT-03",
    "kind": Site.Kind.GYPSY_TRAVELLER_SITE,
    "address_line_1": "Hop Garden Lane",
    "town": "Canterbury",
    "postcode": "ct4  7ab",
}


def test_a_new_site_gets_a_tidy_postcode_and_a_history_row(officer):
    site = services.site_create(by=officer, **SITE)
    assert site.postcode == "CT4 7AB"
    assert site.history.get().history_user == officer


def test_a_site_whose_name_and_reference_are_taken_is_refused_in_the_forms_words(officer):
    SiteFactory(name=SITE["name"], reference=SITE["reference"])
    with pytest.raises(ValidationError) as refused:
        services.site_create(by=officer, **SITE)
    assert refused.value.message_dict == {
        "name": ["A site with this name already exists"],
        "reference": ["A site with this reference already exists"],
    }
    assert Site.objects.count() == 1


def test_a_site_with_a_made_up_postcode_is_refused(officer):
    with pytest.raises(ValidationError, match="Enter a real postcode"):
        services.site_create(by=officer, **(SITE | {"postcode": "NOT A CODE"}))


def test_changing_a_site_needs_a_reason(officer):
    site = SiteFactory()
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.site_update(site=site, by=officer, reason="  ", name="New name")


def test_a_unit_cannot_be_added_to_a_closed_site(officer):
    site = SiteFactory(status=Site.Status.CLOSED)
    with pytest.raises(ValidationError, match="is closed"):
        services.unit_create(
            site=site,
            by=officer,
            reference="Pitch 1",
            kind=Unit.Kind.PITCH,
            status=Unit.Status.OCCUPIED,
            weekly_charge=Decimal("80"),
        )


def test_a_home_needs_bedrooms(officer):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            site=SiteFactory(),
            by=officer,
            reference="Flat 1",
            kind=Unit.Kind.HOME,
            status=Unit.Status.OCCUPIED,
            weekly_charge=Decimal("100"),
        )
    assert error.value.message_dict["bedrooms"] == ["Enter the number of bedrooms"]


def test_a_void_unit_needs_its_void_date_and_reason(officer):
    with pytest.raises(ValidationError) as error:
        services.unit_update(
            unit=UnitFactory(), by=officer, reason="Empty now", status=Unit.Status.VOID
        )
    assert set(error.value.message_dict) == {"void_date", "void_reason"}


def test_ready_to_let_cannot_come_before_the_void_date(officer):
    with pytest.raises(ValidationError, match="on or after the void date"):
        services.unit_update(
            unit=UnitFactory(),
            by=officer,
            reason="Empty now",
            status=Unit.Status.VOID,
            void_date=date(2026, 11, 1),
            ready_to_let_date=date(2026, 10, 1),
            void_reason=Unit.VoidReason.TRANSFER,
        )


def test_letting_a_void_unit_clears_its_void_details(officer):
    unit = UnitFactory(
        status=Unit.Status.VOID, void_date=date(2026, 10, 1), void_reason=Unit.VoidReason.DEATH
    )
    unit = services.unit_update(unit=unit, by=officer, reason="Let", status=Unit.Status.OCCUPIED)
    assert unit.void_date is None and unit.void_reason == ""


def test_turning_a_pitch_into_a_home_drops_the_pitch_details(officer):
    unit = UnitFactory(has_amenity_block=True, amenity_block_condition="good", max_caravans=2)
    unit = services.unit_update(
        unit=unit, by=officer, reason="Rebuilt", kind=Unit.Kind.HOME, bedrooms=2
    )
    assert (unit.has_amenity_block, unit.amenity_block_condition, unit.max_caravans) == (
        False,
        "",
        None,
    )


def test_two_units_on_a_site_cannot_share_a_reference(officer):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as refused:
        services.unit_create(
            site=unit.site,
            by=officer,
            reference=unit.reference,
            kind=Unit.Kind.PITCH,
            status=Unit.Status.OCCUPIED,
            weekly_charge=Decimal("80"),
        )
    assert refused.value.message_dict == {
        "reference": [f"{unit.site.name} already has a unit with the reference {unit.reference}"]
    }


def test_closing_a_site_while_letting_and_renaming_it_to_a_taken_name_is_told_both_at_once(
    officer,
):
    SiteFactory(name="Hop Garden")
    site = SiteFactory(name="Old Orchard")
    UnitFactory(
        site=site, reference="Pitch 3", status=Unit.Status.ADVERTISED, void_date=date(2026, 11, 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.site_update(
            site=site,
            by=officer,
            reason="Closing for works",
            name="Hop Garden",
            status=Site.Status.CLOSED,
        )
    assert refused.value.message_dict == {
        "name": ["A site with this name already exists"],
        "status": [
            "Old Orchard cannot close while units are being let (Pitch 3): withdraw their "
            "vacancies or finish the lets first"
        ],
    }
    site.refresh_from_db()
    assert (site.name, site.status, site.history.count()) == (
        "Old Orchard",
        Site.Status.OPEN,
        1,
    )


def test_a_units_kind_does_not_change_under_a_live_licence(officer):
    from datetime import timedelta

    from tests.factories import LicenceFactory

    unit = UnitFactory(status="occupied", has_electricity_meter=True, has_water_meter=True)
    licence = LicenceFactory(unit=unit)
    with pytest.raises(ValidationError) as refused:
        services.unit_update(unit=unit, by=officer, reason="Typo", kind="home", bedrooms=2)
    assert refused.value.message_dict["kind"] == [
        f"Licence {licence.reference} is live on {unit.reference}: its kind cannot change while "
        "an agreement is being prepared, signed or live on it"
    ]
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.PITCH and unit.has_electricity_meter and unit.has_water_meter
    # Its other details still change, and once the licence has ended so can its kind.
    services.unit_update(unit=unit, by=officer, reason="Fee", weekly_charge=Decimal("90.00"))
    licence.status, licence.end_date, licence.end_reason = (
        "ended",
        licence.start_date + timedelta(days=1),
        "notice",
    )
    licence.save()
    services.unit_update(unit=unit, by=officer, reason="Rebuilt", kind="home", bedrooms=2)
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.HOME


def test_a_units_kind_does_not_change_while_a_vacancy_is_open_on_it(officer):
    from tests.allocations.factories import VacancyFactory

    vacancy = VacancyFactory(status="advertised")
    unit = vacancy.unit
    with pytest.raises(ValidationError) as refused:
        services.unit_update(unit=unit, by=officer, reason="Typo", kind="home", bedrooms=2)
    assert refused.value.message_dict["kind"] == [
        f"Vacancy {vacancy.reference} is advertised on {unit.reference}: its kind cannot "
        "change while a vacancy is open or an offer is live on it"
    ]
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.PITCH
    # Its other details still change.
    services.unit_update(unit=unit, by=officer, reason="Fee", weekly_charge=Decimal("90.00"))


def test_a_units_kind_does_not_change_while_an_offer_is_live_on_it(officer):
    from allocations import services as allocations
    from tests.allocations.casework import checks_back, in_a_week
    from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory

    application = ActiveApplicationFactory(points=80)
    checks_back(application, officer)
    vacancy = VacancyFactory(status="advertised")
    allocations.bid_place(vacancy=vacancy, application=application, by=officer)
    (entry,) = allocations.shortlist_freeze(vacancy=vacancy, by=officer)
    allocations.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    unit = vacancy.unit
    with pytest.raises(ValidationError) as refused:
        services.unit_update(
            unit=unit, by=officer, reason="Typo", kind="transit_pitch", max_caravans=1
        )
    assert refused.value.message_dict["kind"] == [
        f"An offer of {unit.reference} (vacancy {vacancy.reference}) is waiting for a reply: "
        "its kind cannot change while a vacancy is open or an offer is live on it"
    ]
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.PITCH


def test_the_letting_states_that_fix_a_units_kind_are_allocations_own():
    from allocations.models import Offer, Vacancy
    from sites.selectors import OFFER_LIVE_STATUSES, VACANCY_OPEN_STATUSES

    assert set(VACANCY_OPEN_STATUSES) == set(Vacancy.OPEN_STATUSES)
    assert set(OFFER_LIVE_STATUSES) == {Offer.Status.OPEN, Offer.Status.ACCEPTED}
