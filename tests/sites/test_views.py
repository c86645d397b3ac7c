import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db

SITE_FORM = {
    "name": "Marsh Road",
    "reference": "GT-04",
    "kind": "gypsy_traveller_site",
    "status": "open",
    "address_line_1": "Marsh Road",
    "town": "Sittingbourne",
    "postcode": "ME10 3SX",
    "opened_on_0": "1",
    "opened_on_1": "4",
    "opened_on_2": "1998",
}


def test_the_home_page_counts_the_sites_and_the_units_nobody_lives_in(client, officer):
    site = SiteFactory()
    SiteFactory()
    for status in (Unit.Status.VOID, Unit.Status.UNDER_OFFER):
        UnitFactory(
            site=site, status=status, void_date="2026-10-01", void_reason=Unit.VoidReason.OTHER
        )
    UnitFactory(site=site, status=Unit.Status.OCCUPIED)
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    sites = f"{Site.objects.count()}</dd>"
    voids = f"{Unit.objects.filter(status__in=Unit.EMPTY_STATES).count()}</dd>"
    assert Unit.objects.filter(status__in=Unit.EMPTY_STATES).count() == 2
    assert f'Sites</dt>\n    <dd class="govuk-summary-list__value">{sites}' in page
    assert f'Void units</dt>\n    <dd class="govuk-summary-list__value">{voids}' in page


def test_an_officer_adds_a_site(client, officer):
    client.force_login(officer)
    response = client.post(reverse("sites:site-create"), SITE_FORM, follow=True)
    site = Site.objects.get(reference="GT-04")
    assert response.redirect_chain[-1][0] == site.get_absolute_url()
    assert "Marsh Road was added." in response.content.decode()
    assert site.opened_on.isoformat() == "1998-04-01"


def test_a_failed_site_form_explains_each_problem_and_keeps_what_was_typed(client, officer):
    client.force_login(officer)
    data = SITE_FORM | {"postcode": "nonsense", "opened_on_0": "31", "opened_on_1": "2", "town": ""}
    response = client.post(reverse("sites:site-create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter a real postcode, like NR1 2AB" in page
    assert "Enter the town or city" in page
    assert "Date opened must be a real date" in page
    assert 'value="Marsh Road"' in page and 'value="nonsense"' in page
    assert not Site.objects.exists()


def test_editing_a_site_without_a_reason_is_refused_with_a_message(client, officer):
    site = SiteFactory()
    client.force_login(officer)
    data = SITE_FORM | {"name": "Renamed"}
    response = client.post(reverse("sites:site-edit", args=[site.pk]), data)
    assert "Enter the reason for this change" in response.content.decode()
    site.refresh_from_db()
    assert site.name != "Renamed"


def test_editing_a_site_with_a_reason_records_it(client, officer):
    site = SiteFactory()
    client.force_login(officer)
    data = SITE_FORM | {"name": "Renamed", "reason": "Council renamed the site"}
    client.post(reverse("sites:site-edit", args=[site.pk]), data)
    assert site.history.latest().history_change_reason == "Council renamed the site"


def test_site_list_searches_by_name_reference_town_and_postcode(client, officer):
    SiteFactory(name="Oak Lane", reference="GT-01", town="Ashford", postcode="TN23 4QP")
    SiteFactory(name="Willow Park", reference="GT-02", town="Maidstone", postcode="ME15 9RT")
    client.force_login(officer)
    for term in ["oak", "GT-01", "ashford", "tn23"]:
        page = client.get(reverse("sites:site-list"), {"q": term}).content.decode()
        assert "Oak Lane" in page and "Willow Park" not in page, term
    assert (
        "No sites match your search"
        in client.get(reverse("sites:site-list"), {"q": "zzz"}).content.decode()
    )


def test_site_list_is_paginated_and_keeps_the_search(client, officer):
    SiteFactory.create_batch(30, town="Dover")
    client.force_login(officer)
    page = client.get(reverse("sites:site-list"), {"q": "dover"}).content.decode()
    assert "Showing" in page and "q=dover" in page and "page=2" in page


def _queries(client, url) -> int:
    client.get(url)  # the first request after sign-in also writes the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_site_list_makes_the_same_number_of_queries_for_1_or_50_sites(client, officer):
    client.force_login(officer)
    UnitFactory()
    one = _queries(client, reverse("sites:site-list"))
    for _ in range(49):
        UnitFactory()
    assert _queries(client, reverse("sites:site-list")) == one


def test_site_page_makes_the_same_number_of_queries_for_1_or_50_units(client, officer):
    client.force_login(officer)
    site = SiteFactory()
    UnitFactory(site=site)
    url = reverse("sites:site-detail", args=[site.pk])
    one = _queries(client, url)
    UnitFactory.create_batch(49, site=site)
    assert _queries(client, url) == one


def test_site_page_filters_units_by_status(client, officer):
    site = SiteFactory()
    UnitFactory(site=site, reference="Pitch 1")
    UnitFactory(
        site=site,
        reference="Pitch 2",
        status=Unit.Status.VOID,
        void_date="2026-10-01",
        void_reason="transfer",
    )
    client.force_login(officer)
    page = client.get(
        reverse("sites:site-detail", args=[site.pk]), {"status": "void"}
    ).content.decode()
    assert "Pitch 2" in page and ">Pitch 1<" not in page


def test_an_officer_adds_a_home_and_then_marks_it_void(client, officer):
    site = SiteFactory(kind=Site.Kind.HOUSING_SCHEME)
    client.force_login(officer)
    client.post(
        reverse("sites:unit-create", args=[site.pk]),
        {
            "reference": "Flat 1",
            "kind": "home",
            "status": "occupied",
            "weekly_charge": "101.20",
            "bedrooms": "2",
        },
    )
    unit = Unit.objects.get(site=site)
    response = client.post(
        reverse("sites:unit-edit", args=[unit.pk]),
        {
            "reference": "Flat 1",
            "kind": "home",
            "status": "void",
            "weekly_charge": "101.20",
            "bedrooms": "2",
            "void_date_0": "3",
            "void_date_1": "11",
            "void_date_2": "2026",
            "void_reason": "transfer",
            "reason": "Tenant transferred",
        },
        follow=True,
    )
    unit.refresh_from_db()
    assert unit.status == Unit.Status.VOID and str(unit.void_date) == "2026-11-03"
    assert "Void since" in response.content.decode()


def test_the_voids_list_shows_every_void_across_sites_with_filters(client, officer):
    from datetime import timedelta

    from django.utils import timezone

    from tests.allocations.factories import VacancyFactory
    from tests.factories import UnitFactory

    today = timezone.localdate()
    quiet = UnitFactory(
        reference="Pitch 31",
        status="void",
        void_date=today - timedelta(days=40),
        void_reason="death",
        ready_to_let_date=today - timedelta(days=5),
    )
    advertised = VacancyFactory(status="advertised").unit
    UnitFactory(reference="Pitch 77")  # occupied: not listed
    client.force_login(officer)
    page = client.get(reverse("sites:void-list")).content.decode()
    assert "Pitch 31" in page and advertised.reference in page and "Pitch 77" not in page
    assert ">40<" in page.replace(" ", "") and "Not advertised" in page
    only_unadvertised = client.get(reverse("sites:void-list"), {"advertised": "no"})
    assert advertised.reference not in only_unadvertised.content.decode()
    by_reason = client.get(reverse("sites:void-list"), {"reason": "death", "ready": "yes"})
    assert "Pitch 31" in by_reason.content.decode()
    none = client.get(reverse("sites:void-list"), {"site": quiet.site.pk, "reason": "transfer"})
    assert "No void units match these filters" in none.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert reverse("sites:void-list") in home


def test_the_unit_page_says_where_its_letting_is_and_offers_the_next_step(client, officer):
    from tests.allocations.factories import VacancyFactory

    vacancy = VacancyFactory(status="advertised")
    client.force_login(officer)
    page = client.get(vacancy.unit.get_absolute_url()).content.decode()
    assert "Void, advertised" in page and vacancy.reference in page
    assert "Advertise this void" not in page  # it already is
    assert f"Next step: go to vacancy {vacancy.reference}" in page


def test_the_unit_form_explains_and_refuses_a_kind_change_under_a_licence(client, officer):
    from tests.factories import LicenceFactory

    unit = UnitFactory(reference="Pitch 4", status="occupied", has_electricity_meter=True)
    licence = LicenceFactory(unit=unit)
    client.force_login(officer)
    url = reverse("sites:unit-edit", args=[unit.pk])
    words = f"Licence {licence.reference} is live on Pitch 4: its kind cannot change"
    assert words in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reference": "Pitch 4",
            "kind": "home",
            "status": "occupied",
            "weekly_charge": "85.00",
            "bedrooms": "2",
            "reason": "Typo",
        },
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.PITCH and unit.has_electricity_meter


def test_the_unit_form_explains_and_refuses_a_kind_change_while_advertised(client, officer):
    from tests.allocations.factories import VacancyFactory

    vacancy = VacancyFactory(status="advertised", unit__reference="Pitch 5")
    unit = vacancy.unit
    client.force_login(officer)
    url = reverse("sites:unit-edit", args=[unit.pk])
    words = f"Vacancy {vacancy.reference} is advertised on Pitch 5: its kind cannot change"
    assert words in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reference": "Pitch 5",
            "kind": "home",
            "status": "advertised",
            "void_date_0": "5",
            "void_date_1": "1",
            "void_date_2": "2026",
            "void_reason": "transfer",
            "weekly_charge": "85.00",
            "bedrooms": "2",
            "reason": "Typo",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary__list") :]
    assert words in summary[: summary.index("</ul>")]  # the service's refusal, not the hint
    assert "Typo</textarea>" in page  # what was typed is kept
    unit.refresh_from_db()
    assert unit.kind == Unit.Kind.PITCH
