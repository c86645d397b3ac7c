"""Queue rows follow the reader's permissions: a row about a record the reader may not view
shows only the kind of work, never its title (a census finding's names a person)."""

import pytest
from django.urls import reverse

from census import services
from census.models import CensusDifference
from tests.census.factories import complete, started_round

pytestmark = pytest.mark.django_db


def _finding_naming_someone(officer):
    census_round = started_round(by=officer, pitches=1)
    census_return = census_round.returns.get()
    complete(
        census_return,
        by=officer,
        new_people=[{"name": "Tom Price", "approximate_age": 40}],
    )
    services.return_submit(census_return=census_return, by=officer)
    return CensusDifference.objects.get()


def test_the_heads_team_queue_does_not_name_people_in_census_findings(
    client, officer, head_of_service
):
    difference = _finding_naming_someone(officer)
    assert not head_of_service.has_perm("census.view_censusdifference")
    client.force_login(head_of_service)
    page = client.get(reverse("projects:team-queue")).content.decode()
    assert "Census follow-up" in page and "details not shown" in page
    assert "Tom Price" not in page
    assert difference.get_absolute_url() not in page


def test_officers_who_may_read_returns_see_the_finding_in_full(client, officer, team_leader):
    _finding_naming_someone(officer)
    client.force_login(team_leader)
    page = client.get(reverse("projects:team-queue")).content.decode()
    assert "Tom Price" in page
    client.force_login(officer)
    assert "Tom Price" in client.get(reverse("home")).content.decode()


def test_the_task_page_does_not_name_people_in_a_record_the_reader_may_not_view(
    client, officer, head_of_service
):
    from projects.models import WorkItem

    difference = _finding_naming_someone(officer)
    item = WorkItem.objects.get(kind="census_follow_up")
    client.force_login(head_of_service)
    for url in (
        reverse("projects:task-detail", args=[item.pk]),
        reverse("projects:task-history", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "Tom Price" not in page, url
        assert difference.get_absolute_url() not in page, url
    # Officers, who may read the finding, open its task as before.
    client.force_login(officer)
    page = client.get(reverse("projects:task-detail", args=[item.pk])).content.decode()
    assert "Tom Price" in page


def test_the_change_log_does_not_name_people_in_work_about_a_record_the_reader_may_not_view(
    client, officer, head_of_service, auditor
):
    # The head of service reads the change log of work items (they may view work), but a
    # census follow-up's title names whom it is about: its rows show only the kind of record.
    from projects.models import WorkItem

    _finding_naming_someone(officer)
    item = WorkItem.objects.get(kind="census_follow_up")
    filters = {"record_type": "projects.workitem"}
    client.force_login(head_of_service)
    page = client.get(reverse("change-log"), filters)
    assert page.status_code == 200
    entries = page.context["entries"]
    assert entries and all("Tom Price" not in str(entry) for entry in entries)
    assert "Tom Price" not in page.content.decode()
    assert "details not shown" in page.content.decode()
    assert reverse("projects:task-history", args=[item.pk]) not in page.content.decode()
    csv = b"".join(client.get(reverse("change-log-csv"), filters).streaming_content).decode()
    assert "details not shown" in csv and "Tom Price" not in csv
    # Auditors read every record's changes in full.
    client.force_login(auditor)
    assert "Tom Price" in client.get(reverse("change-log"), filters).content.decode()
    csv = b"".join(client.get(reverse("change-log-csv"), filters).streaming_content).decode()
    assert "Tom Price" in csv
