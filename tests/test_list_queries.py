"""No list page's query count grows with its rows (N=1 against N=50), nor the work queue's with
the kinds of record its work is about. Pages not here are covered beside their app's views
(sites, households, applications, shortlists, decisions, census) and in test_change_log."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.models import RecordView
from projects import services as project_services
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.factories import (
    HouseholdFactory,
    LicenceFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the first request after sign-in writes the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _same_for_1_and_50(client, url: str, make) -> None:
    make(1)
    one = _queries(client, url)
    make(49)
    assert _queries(client, url) == one


def test_licence_list(client, officer):
    client.force_login(officer)
    _same_for_1_and_50(
        client, reverse("residents:licence-list"), lambda n: LicenceFactory.create_batch(n)
    )


def test_vacancy_list(client, officer):
    client.force_login(officer)
    _same_for_1_and_50(
        client, reverse("allocations:vacancy-list"), lambda n: VacancyFactory.create_batch(n)
    )


def test_records_viewed(client, auditor, officer):
    client.force_login(auditor)
    household = HouseholdFactory()

    def viewed(n):
        for _ in range(n):
            RecordView.objects.create(
                user=UserFactory(), record_type="residents.household",
                record_id=household.pk, label=household.reference,
            )  # fmt: skip

    _same_for_1_and_50(client, reverse("records-viewed"), viewed)


def _work(user, n: int, about_each) -> None:
    for number in range(n):
        project_services.work_item_create(
            kind="check_overdue",
            title=f"Work {number}",
            due=timezone.localdate() + timedelta(days=number % 7),
            about=about_each(number),
            assignee=user,
            by=user,
        )


def _six_kinds(number: int):
    makers = [
        SiteFactory,
        UnitFactory,
        HouseholdFactory,
        PersonFactory,
        LicenceFactory,
        ActiveApplicationFactory,
    ]
    return makers[number % len(makers)]()


def test_home_work_queue_is_constant_in_rows_and_kinds_of_record(client, officer):
    client.force_login(officer)
    url = reverse("home")
    _work(officer, 1, lambda n: SiteFactory())
    one = _queries(client, url)
    _work(officer, 49, _six_kinds)
    assert _queries(client, url) == one <= 15


def test_team_queue(client, team_leader):
    client.force_login(team_leader)
    officer = UserFactory(roles=["officer"])
    _same_for_1_and_50(
        client, reverse("projects:team-queue"), lambda n: _work(officer, n, _six_kinds)
    )


def test_a_household_history_includes_its_people_in_two_queries_of_the_log(client, officer):
    person = PersonFactory(first_name="Rosa")
    client.force_login(officer)
    url = reverse("residents:household-history", args=[person.household.pk])
    page = client.get(url).content.decode()
    assert "Person: Rosa" in page and "Household" in page
    one = _queries(client, url)
    PersonFactory.create_batch(20, household=person.household, relationship="child")
    assert _queries(client, url) == one


def test_opening_a_household_or_application_page_is_logged_once(client, officer):
    application = ActiveApplicationFactory()
    client.force_login(officer)
    client.get(reverse("residents:household-detail", args=[application.household.pk]))
    client.get(reverse("allocations:application-detail", args=[application.pk]))
    views = list(RecordView.objects.filter(user=officer).order_by("id"))
    assert [(v.record_type, v.record_id) for v in views] == [
        ("residents.household", application.household.pk),
        ("allocations.application", application.pk),
    ]
    assert not hasattr(RecordView, "history")  # no history of the log itself


def test_an_exact_reference_finds_its_household_by_the_btree_index_first(client, officer):
    from residents.search import household_search

    wanted = HouseholdFactory(reference="T-H-77777")
    HouseholdFactory(reference="T-H-777770")
    assert [h.pk for h in household_search(reference="t-h-77777")] == [wanted.pk]
    assert len(household_search(reference="7777")) == 2
