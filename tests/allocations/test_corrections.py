"""What a correction would have changed (issue 16): a correction made after the fact replays
every frozen shortlist the household was on since the corrected date, in bulk, and a team
leader decides the remedy with reasons."""

import csv
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import selectors, services
from allocations.models import Correction, PolicyVersion, Vacancy
from allocations.selectors.corrections import shortlist_corrected_replay
from projects.models import WorkItem
from residents.selectors import household_name
from tests.allocations.corrections import correct_the_date, frozen, two_shortlists
from tests.allocations.factories import ActiveApplicationFactory
from tests.layout import bare_links

pytestmark = pytest.mark.django_db


def test_a_changed_effective_date_is_recorded_as_a_correction_from_the_earlier_date(officer):
    application = ActiveApplicationFactory(effective_date=date(2024, 6, 1))
    services.application_dates_change(
        application=application,
        effective_date=date(2024, 3, 1),
        reason="Typed wrongly at registration",
        by=officer,
    )
    correction = application.corrections.get()
    assert correction.field == Correction.Field.EFFECTIVE_DATE
    assert (correction.previous_value, correction.corrected_value) == (
        date(2024, 6, 1),
        date(2024, 3, 1),
    )
    assert correction.applies_from == date(2024, 3, 1)
    assert correction.recorded_by == officer and correction.awaiting_remedy
    item = WorkItem.objects.get(kind="correction_remedy")
    assert item.assigned_role.name == "team_leader"
    assert household_name(application.household) in item.title


def test_a_registration_date_change_is_a_correction_as_it_breaks_ties(officer):
    # Same points and effective date: the policy's last tie-breaker, the earlier registration,
    # put the rival first. Registered a month earlier, the household would have been.
    household = ActiveApplicationFactory(
        points=50, effective_date=date(2024, 6, 1), registration_date=date(2022, 1, 1)
    )
    rival = ActiveApplicationFactory(
        points=50, effective_date=date(2024, 6, 1), registration_date=date(2021, 12, 15)
    )
    vacancy = frozen(officer, household, rival)
    services.application_dates_change(
        application=household,
        registration_date=date(2021, 12, 1),
        reason="Form received a month earlier",
        by=officer,
    )
    correction = household.corrections.get()
    assert correction.field == Correction.Field.REGISTRATION_DATE
    assert (correction.previous_value, correction.corrected_value) == (
        date(2022, 1, 1),
        date(2021, 12, 1),
    )
    assert correction.applies_from == date(2021, 12, 1)
    (replayed,) = selectors.correction_replay(correction).changed
    assert replayed.vacancy == vacancy
    assert (replayed.position_had, replayed.position_would_have_had) == (2, 1)


def test_the_report_lists_exactly_the_shortlist_whose_order_would_have_changed(
    officer, team_leader
):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    replay = selectors.correction_replay(correction)
    assert [s.vacancy for s in replay.shortlists] == [scenario.changed, scenario.unchanged]
    (changed,) = replay.changed
    assert changed.vacancy == scenario.changed
    assert (changed.position_had, changed.position_would_have_had) == (2, 1)
    assert changed.let_to == "Mary Price" and changed.let_position == 1
    assert changed.let_on == timezone.localdate() and changed.ahead_of_let
    (unchanged,) = replay.unchanged
    assert (unchanged.position_had, unchanged.position_would_have_had) == (2, 2)
    assert unchanged.let_to == "" and unchanged.let_on is None


def test_shortlists_frozen_before_the_corrected_date_are_not_replayed(officer):
    ten_days_ago = timezone.localdate() - timedelta(days=10)
    household = ActiveApplicationFactory(points=50, effective_date=ten_days_ago)
    rival = ActiveApplicationFactory(points=50, effective_date=date(2024, 5, 1))
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        old = frozen(officer, household, rival)
    recent = frozen(officer, household, rival)
    services.application_dates_change(
        application=household,
        effective_date=ten_days_ago + timedelta(days=5),
        reason="The date was five days early",
        by=officer,
    )
    correction = household.corrections.get()
    assert correction.applies_from == ten_days_ago
    shortlists = [s.vacancy for s in selectors.correction_replay(correction).shortlists]
    assert shortlists == [recent] and old not in shortlists


def test_a_bedroom_need_correction_can_make_a_household_eligible_and_first():
    policy = PolicyVersion.objects.filter(scheme="pitch").order_by("version").first()
    home = Vacancy(min_bedroom_need=3)
    line = {
        "label": "Application A",
        "status": "active",
        "band": None,
        "points": 50,
        "local_connection_tier": None,
        "registration_date": "2024-01-01",
        "household_size": 5,
        "lead_age": 40,
        "needs_accessible_home": False,
    }
    ours = line | {"application_id": 1, "effective_date": "2024-01-01", "bedroom_need": 2}
    theirs = line | {"application_id": 2, "effective_date": "2024-02-01", "bedroom_need": 3}
    correction = Correction(application_id=1, field="bedroom_need", value_after="3")
    assert shortlist_corrected_replay(home, policy, [ours, theirs], correction) == (1, "")
    smaller = Correction(application_id=1, field="bedroom_need", value_after="1")
    position, reason = shortlist_corrected_replay(home, policy, [ours, theirs], smaller)
    assert position is None and "this unit is for a need of 3 or more" in reason


def test_the_replay_takes_the_same_queries_for_one_shortlist_or_many(officer):
    def replay_queries(shortlists: int) -> int:
        household = ActiveApplicationFactory(points=50, effective_date=date(2024, 6, 1))
        for _ in range(shortlists):
            frozen(officer, household, ActiveApplicationFactory(points=50))
        services.application_dates_change(
            application=household, effective_date=date(2024, 3, 1), reason="Typo", by=officer
        )
        correction = household.corrections.get()
        with CaptureQueriesContext(connection) as queries:
            replay = selectors.correction_replay(correction)
        assert len(replay.shortlists) == shortlists
        return len(queries)

    assert replay_queries(1) == replay_queries(6) == 3


def test_a_band_is_corrected_by_a_team_leader_not_an_officer(officer):
    application = ActiveApplicationFactory(scheme="cbl", band=3)
    with pytest.raises(ValidationError) as refused:
        services.correction_record(
            application=application,
            field="band",
            value=1,
            applies_from=date(2025, 2, 1),
            reason="Medical evidence not acted on",
            by=officer,
        )
    assert "corrected by a team leader" in refused.value.message_dict["field"][0]
    application.refresh_from_db()
    assert application.band == 3


def test_band_correction_refuses_bad_input_with_specific_errors(team_leader):
    application = ActiveApplicationFactory(scheme="cbl", band=3)
    with pytest.raises(ValidationError) as refused:
        services.correction_record(
            application=application,
            field="band",
            value=9,
            applies_from=timezone.localdate(),
            reason="",
            by=team_leader,
        )
    problems = refused.value.message_dict
    assert problems["value"] == ["Enter a band from 1 to 4"]
    assert "before today" in problems["applies_from"][0]
    assert problems["reason"]
    pitch = ActiveApplicationFactory(points=10)
    with pytest.raises(ValidationError, match="ranked by points, not bands"):
        services.correction_record(
            application=pitch,
            field="band",
            value=1,
            applies_from=date(2025, 1, 1),
            reason="Wrong band",
            by=team_leader,
        )


def test_band_correction_puts_the_value_right_with_who_and_why(team_leader):
    application = ActiveApplicationFactory(scheme="cbl", band=3)
    correction = services.correction_record(
        application=application,
        field="band",
        value=2,
        applies_from=date(2025, 2, 1),
        reason="Medical evidence received in February was not acted on",
        by=team_leader,
    )
    application.refresh_from_db()
    assert application.band == 2
    latest = application.history.latest()
    assert latest.history_user == team_leader
    assert "Band corrected from 3 to 2 from" in latest.history_change_reason
    assert (correction.previous_value, correction.corrected_value) == (3, 2)


def test_the_remedy_is_decided_by_a_team_leader_with_reasons_and_history(officer, team_leader):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    with pytest.raises(PermissionDenied):
        services.correction_remedy_decide(
            correction=correction, remedy="offer_next", reasons="Offer", by=officer
        )
    with pytest.raises(ValidationError, match=scenario.changed.reference):
        services.correction_remedy_decide(
            correction=correction,
            remedy="no_remedy_still_first",
            reasons="The home went to the right household",
            by=team_leader,
        )
    with pytest.raises(ValidationError, match="1 shortlist"):
        services.correction_remedy_decide(
            correction=correction,
            remedy="no_remedy_unchanged",
            reasons="Nothing changed",
            by=team_leader,
        )
    decided = services.correction_remedy_decide(
        correction=correction,
        remedy="offer_next",
        reasons="She would have been offered the pitch let to Mary Price",
        by=team_leader,
    )
    assert decided.remedy_decided_by == team_leader and not decided.awaiting_remedy
    latest = decided.history.latest()
    assert latest.history_user == team_leader
    assert latest.history_change_reason == "Remedy decided: Offer the next suitable home"
    assert not WorkItem.objects.filter(kind="correction_remedy", status="open").exists()
    with pytest.raises(ValidationError, match="already decided"):
        services.correction_remedy_decide(
            correction=correction, remedy="offer_next", reasons="Again", by=team_leader
        )


# --- The pages -----------------------------------------------------------------------------


def test_the_application_page_links_to_what_its_correction_would_have_changed(
    client, officer, team_leader
):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    client.force_login(officer)
    page = client.get(scenario.household_application.get_absolute_url()).content.decode()
    assert reverse("allocations:correction-detail", args=[correction.pk]) in page
    assert "what would this correction have changed" in page


def test_the_report_page_shows_the_changed_shortlist_with_positions_and_the_let(
    client, officer, team_leader
):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    client.force_login(team_leader)
    response = client.get(reverse("allocations:correction-detail", args=[correction.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rosa Lee" in page and "Mary Price" in page
    changed_table = page.split("Shortlists whose order would have changed")[2].split("</table>")[0]
    assert scenario.changed.reference in changed_table
    assert scenario.unchanged.reference not in changed_table
    assert "Before the household let" in changed_table
    assert "1 shortlist replayed with the same order" in page
    assert "Decide the remedy" in page


def test_the_report_downloads_as_csv_with_exactly_the_changed_shortlist(
    client, officer, team_leader
):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    client.force_login(officer)
    response = client.get(reverse("allocations:correction-csv", args=[correction.pk]))
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows[0][:3] == ["Application", "Corrected", "From"]
    (row,) = rows[1:]
    header = rows[0]
    line = dict(zip(header, row, strict=True))
    assert line["Vacancy"] == scenario.changed.reference
    assert (line["Position had"], line["Position would have had"]) == ("2", "1")
    assert line["Let to"] == "Mary Price"
    assert line["Let on"] == timezone.localdate().isoformat()


def test_team_leaders_list_corrections_awaiting_a_remedy_and_decide_one(
    client, officer, team_leader
):
    scenario = two_shortlists(officer, team_leader)
    correction = correct_the_date(scenario, officer)
    client.force_login(team_leader)
    listing = client.get(reverse("allocations:correction-list")).content.decode()
    assert correction.get_absolute_url() in listing and "Rosa Lee" in listing
    found = client.get(reverse("allocations:correction-list"), {"q": "rosa"}).content.decode()
    assert correction.get_absolute_url() in found
    missed = client.get(reverse("allocations:correction-list"), {"q": "Nobody"}).content.decode()
    assert "No corrections match" in missed and correction.get_absolute_url() not in missed
    url = reverse("allocations:correction-remedy", args=[correction.pk])
    refused = client.post(url, {"remedy": "no_remedy_still_first", "reasons": "Went right"})
    assert refused.status_code == 400
    assert scenario.changed.reference in refused.content.decode()
    assert "Went right" in refused.content.decode()  # what was typed is kept
    done = client.post(url, {"remedy": "offer_next", "reasons": "Offer the next pitch"})
    assert done.status_code == 302
    correction.refresh_from_db()
    assert correction.remedy == "offer_next" and correction.remedy_decided_by == team_leader
    listing = client.get(reverse("allocations:correction-list")).content.decode()
    assert "No corrections are waiting for a remedy decision." in listing
    history = client.get(reverse("allocations:correction-history", args=[correction.pk]))
    assert "Remedy decided: Offer the next suitable home" in history.content.decode()


def test_an_officer_corrects_a_bedroom_need_from_the_application_page(client, officer):
    application = ActiveApplicationFactory(scheme="cbl", band=2, bedroom_need=2)
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Correct the band or bedroom need from a past date" in page
    assert bare_links(page) == []
    url = reverse("allocations:application-correction-create", args=[application.pk])
    bad = client.post(
        url,
        {
            "field": "bedroom_need",
            "value": "2",
            "applies_from_0": "1",
            "applies_from_1": "2",
            "applies_from_2": "2025",
            "reason": "Twins born in February",
        },
    )
    assert bad.status_code == 400 and "The bedroom need is already 2" in bad.content.decode()
    response = client.post(
        url,
        {
            "field": "bedroom_need",
            "value": "3",
            "applies_from_0": "1",
            "applies_from_1": "2",
            "applies_from_2": "2025",
            "reason": "Twins born in February",
        },
    )
    correction = application.corrections.get()
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    application.refresh_from_db()
    assert application.bedroom_need == 3 and correction.applies_from == date(2025, 2, 1)


def test_the_corrections_list_takes_the_same_queries_for_one_row_or_many(client, team_leader):
    def list_queries(rows: int) -> int:
        for _ in range(rows):
            services.application_dates_change(
                application=ActiveApplicationFactory(effective_date=date(2024, 6, 1)),
                effective_date=date(2024, 3, 1),
                reason="Typed wrongly",
                by=team_leader,
            )
        client.force_login(team_leader)
        url = reverse("allocations:correction-list")
        client.get(url)  # the first request after sign-in writes the session
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert page.count("Awaiting a decision") == Correction.objects.count()
        return len(queries)

    assert list_queries(1) == list_queries(5)
