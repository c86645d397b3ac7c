"""Local connections ended: the one service (its refusals write nothing, its history names who
and why), the page reached from the household's Bids page, and the tier that follows."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import selectors, services
from allocations.models import HouseholdConnection, PolicyVersion, ShortlistEntry
from tests.allocations.cbl import (
    PARISHES,
    advert,
    applicant,
    cycle_opening,
    parishes_listed,
    uk,
)

pytestmark = pytest.mark.django_db

# Friday of the cycle opening Thursday 25 March 2027 (it closes Monday 29 March, 23:59:59).
OPEN = uk(2027, 3, 26, 10, 0)
NEXT_DAY = uk(2027, 3, 27, 10, 0)
CLOSED = uk(2027, 3, 30, 9, 0)


@pytest.fixture
def cycle(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        return cycle_opening(date(2027, 3, 25), officer)


def recorded(application, officer, parish="Cheriton", since=date(2020, 5, 1)):
    with time_machine.travel(uk(2027, 3, 1, 9, 0), tick=False):
        return services.connection_record(
            household=application.household,
            kind="residence",
            parish=parish,
            since=since,
            evidence_seen="Council tax bill",
            by=officer,
        )


def end_url(connection, application) -> str:
    return reverse("allocations:connection-end", args=[application.pk, connection.pk])


def test_ending_a_connection_keeps_it_with_the_date_who_ended_it_and_why(officer):
    connection = recorded(applicant(), officer)
    with time_machine.travel(OPEN, tick=False):
        services.connection_end(
            connection=connection,
            ended_on=date(2027, 3, 12),
            reason="  Tenancy ended, new address in Hythe ",
            by=officer,
        )
    connection.refresh_from_db()
    assert connection.ended_on == date(2027, 3, 12)
    assert connection.end_reason == "Tenancy ended, new address in Hythe"
    latest = connection.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == (
        "Local connection ended: Tenancy ended, new address in Hythe"
    )
    assert latest.ended_on == date(2027, 3, 12)
    assert connection.history.count() == 2  # recorded, then ended: nothing deleted


@pytest.mark.parametrize(
    ("ended_on", "reason", "field", "message"),
    [
        (
            date(2020, 4, 30),
            "Moved away",
            "ended_on",
            "The connection cannot end before it started (1 May 2020)",
        ),
        (
            date(2027, 3, 27),
            "Moved away",
            "ended_on",
            "The date the connection ended cannot be in the future",
        ),
        (date(2027, 3, 12), "   ", "reason", "Enter the reason for this change"),
    ],
    ids=["before-it-started", "in-the-future", "blank-reason"],
)
def test_an_impossible_end_is_refused_saying_why_and_writes_nothing(
    officer, ended_on, reason, field, message
):
    connection = recorded(applicant(), officer)
    with time_machine.travel(OPEN, tick=False), pytest.raises(ValidationError) as refused:
        services.connection_end(connection=connection, ended_on=ended_on, reason=reason, by=officer)
    assert refused.value.message_dict[field][0].startswith(message.rstrip("."))
    connection.refresh_from_db()
    assert connection.ended_on is None
    assert connection.history.count() == 1


def test_a_connection_already_ended_is_not_ended_again_and_says_when_it_ended(officer):
    connection = recorded(applicant(), officer)
    with time_machine.travel(OPEN, tick=False):
        services.connection_end(
            connection=connection, ended_on=date(2027, 3, 12), reason="Moved", by=officer
        )
        # A second officer working from a page loaded before the first ended it.
        with pytest.raises(ValidationError, match="already ended on 12 March 2027"):
            services.connection_end(
                connection=connection, ended_on=date(2027, 3, 20), reason="Moved", by=officer
            )
    connection.refresh_from_db()
    assert connection.ended_on == date(2027, 3, 12)
    assert connection.history.count() == 2


def test_after_its_end_date_the_connection_no_longer_gives_tier_1_for_that_parish(officer, cycle):
    mine = applicant()
    connection = recorded(mine, officer)
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, parish="Cheriton")
        services.place_bid(application=mine, advert=home, channel="phone", by=officer)
        assert [p.tier for p in selectors.bid_positions(mine)] == [1]
        services.connection_end(
            connection=connection, ended_on=date(2027, 3, 26), reason="Moved", by=officer
        )
        # It counts up to and including the day it ended...
        assert [p.tier for p in selectors.bid_positions(mine)] == [1]
    with time_machine.travel(NEXT_DAY, tick=False):
        # ...and not from the day after.
        assert [p.tier for p in selectors.bid_positions(mine)] == [3]
    with time_machine.travel(CLOSED, tick=False):
        services.cycles_close_due(by=officer)
    entry = ShortlistEntry.objects.get(vacancy=home, application=mine)
    assert entry.connection_tier == 3
    assert entry.connection_reason == "No qualifying connection to Cheriton or a parish next to it"


def test_the_bids_page_offers_end_connection_for_current_ones_and_lists_ended_ones(client, officer):
    application = applicant()
    current = recorded(application, officer, parish="Folkestone")
    ended = recorded(application, officer, parish="Cheriton")
    with time_machine.travel(OPEN, tick=False):
        services.connection_end(
            connection=ended, ended_on=date(2026, 12, 3), reason="Moved", by=officer
        )
        client.force_login(officer)
        page = client.get(reverse("allocations:application-bids", args=[application.pk]))
    html = page.content.decode()
    assert end_url(current, application) in html
    assert end_url(ended, application) not in html
    # Why it ended, with when: it was only in the connection's history.
    assert "Ended on 3 December 2026: Moved" in html


def test_the_end_page_of_a_connection_already_ended_says_when_and_why_with_no_form(client, officer):
    # A tab loaded before another officer ended it, or the address typed: the form could
    # only be refused.
    application = applicant()
    connection = recorded(application, officer)
    url = end_url(connection, application)
    bids = reverse("allocations:application-bids", args=[application.pk])
    with time_machine.travel(OPEN, tick=False):
        services.connection_end(
            connection=connection, ended_on=date(2027, 3, 12), reason="Moved to Hythe", by=officer
        )
        client.force_login(officer)
        page = client.get(url)
        posted = client.post(
            url,
            {"ended_on_0": "20", "ended_on_1": "3", "ended_on_2": "2027", "reason": "Moved"},
        )
    assert page.status_code == 200
    html = page.content.decode()
    assert "The connection to Cheriton has already ended" in html
    assert "ended on 12 March 2027. Why it ended: Moved to Hythe" in html
    assert f'href="{bids}"' in html
    assert "<form" not in html.split('id="main-content"')[-1]
    assert posted.status_code == 409
    assert "Nothing was changed" in posted.content.decode()
    connection.refresh_from_db()
    assert (connection.ended_on, connection.end_reason) == (date(2027, 3, 12), "Moved to Hythe")
    assert connection.history.count() == 2


def test_a_connection_ended_before_its_reason_was_kept_gets_it_from_its_history(officer):
    # allocations/migrations/0039: the reason was only the history row's change reason.
    import importlib

    from django.apps import apps

    migration = importlib.import_module("allocations.migrations.0039_connection_end_reason")
    connection = recorded(applicant(), officer)
    still = recorded(applicant(), officer, parish="Folkestone")
    with time_machine.travel(OPEN, tick=False):
        services.connection_end(
            connection=connection, ended_on=date(2027, 3, 12), reason="Moved to Hythe", by=officer
        )
    HouseholdConnection.objects.filter(pk=connection.pk).update(end_reason="")
    migration.end_reasons_from_history(apps, None)
    connection.refresh_from_db()
    still.refresh_from_db()
    assert connection.end_reason == "Moved to Hythe"
    assert still.end_reason == ""


def test_the_reason_for_ending_a_connection_is_a_box_a_few_lines_high(client, officer):
    # A reason runs to a sentence or two: every reason field (config.forms.ReasonField) is a
    # textarea, where the layouts asked for one and were drawn a one-line input with `rows`.
    application = applicant()
    connection = recorded(application, officer)
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)
        page = client.get(end_url(connection, application)).content.decode()
    box = re.search(r"<(input|textarea)\b[^>]*\bname=\"reason\"[^>]*>", page)
    assert box is not None
    assert box.group(1) == "textarea"
    assert 'class="govuk-textarea"' in box.group(0)


def test_an_officer_ends_a_connection_from_its_page_and_is_taken_back_to_the_bids_page(
    client, officer
):
    application = applicant()
    connection = recorded(application, officer)
    url = end_url(connection, application)
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)
        page = client.get(url).content.decode()
        assert f"End the connection to Cheriton for {application}" in page
        assert "from the day after" in page
        response = client.post(
            url,
            {
                "ended_on_0": "12",
                "ended_on_1": "3",
                "ended_on_2": "2027",
                "reason": "Tenancy ended, new address in Hythe",
            },
            follow=True,
        )
    assert response.redirect_chain == [
        (reverse("allocations:application-bids", args=[application.pk]), 302)
    ]
    html = response.content.decode()
    assert "The connection to Cheriton ended on 12 March 2027." in html
    assert "Ended on 12 March 2027" in html
    latest = HouseholdConnection.objects.get().history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Local connection ended: Tenancy ended, new address in Hythe",
    )


def test_a_refused_end_keeps_what_was_typed_and_says_why(client, officer):
    application = applicant()
    connection = recorded(application, officer)
    with time_machine.travel(OPEN, tick=False):
        client.force_login(officer)  # signed in on the day: a session from today would expire
        response = client.post(
            end_url(connection, application),
            {
                "ended_on_0": "1",
                "ended_on_1": "4",
                "ended_on_2": "2027",
                "reason": "Tenancy ended, new address in Hythe",
            },
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date the connection ended cannot be in the future" in html
    assert "Tenancy ended, new address in Hythe" in html
    assert 'value="2027"' in html
    connection.refresh_from_db()
    assert connection.ended_on is None


def test_a_role_that_may_not_change_applications_cannot_end_a_connection(client, officer, auditor):
    application = applicant()
    connection = recorded(application, officer)
    client.force_login(auditor)
    url = end_url(connection, application)
    assert client.get(url).status_code == 403
    posted = client.post(
        url,
        {"ended_on_0": "1", "ended_on_1": "3", "ended_on_2": "2027", "reason": "Moved"},
    )
    assert posted.status_code == 403
    page = client.get(reverse("allocations:application-bids", args=[application.pk]))
    assert url not in page.content.decode()
    connection.refresh_from_db()
    assert connection.ended_on is None


def test_another_households_connection_is_not_found_through_this_application(client, officer):
    application, other = applicant(), applicant()
    theirs = recorded(other, officer)
    client.force_login(officer)
    assert client.get(end_url(theirs, application)).status_code == 404


# --- The council's list of parishes ---------------------------------------------------------


def connection_url(application) -> str:
    return reverse("allocations:connection-create", args=[application.pk])


def typed(parish: str, **changes) -> dict[str, str]:
    return {
        "kind": "residence",
        "parish": parish,
        "since_0": "1",
        "since_1": "5",
        "since_2": "2020",
        "evidence_seen": "Council tax bill",
    } | changes


def test_a_parish_not_on_the_policys_list_is_refused_on_its_field_and_nothing_is_recorded(
    officer, administrator
):
    parishes_listed(administrator)
    application = applicant()
    with pytest.raises(ValidationError) as refused:
        recorded(application, officer, parish="Hyth")
    assert refused.value.message_dict == {
        "parish": ["Hyth is not a parish in the lettings policy: choose from the list"]
    }
    assert not HouseholdConnection.objects.exists()
    assert not HouseholdConnection.history.exists()


def test_a_listed_parish_typed_in_any_case_is_kept_as_the_policy_spells_it(officer, administrator):
    parishes_listed(administrator)
    connection = recorded(applicant(), officer, parish="  hythe ")
    assert connection.parish == "Hythe"


def test_under_a_policy_without_the_list_a_parish_is_still_free_text(officer, administrator):
    # Version 1 (published before the list existed) is in force; a version with the list
    # takes effect only later.
    parishes_listed(administrator, effective_from=date(2027, 4, 1))
    connection = recorded(applicant(), officer, parish="Hyth")
    assert connection.parish == "Hyth"


def test_the_connection_page_offers_the_policys_parishes_as_the_parish_is_typed(
    client, officer, administrator
):
    parishes_listed(administrator)
    client.force_login(officer)
    html = client.get(connection_url(applicant())).content.decode()
    assert 'list="parish-list"' in html
    assert '<datalist id="parish-list">' in html
    assert '<option value="Hythe"></option>' in html
    assert "Choose from the parishes in the lettings policy" in html
    assert "<li>Shadoxhurst</li>" in html  # the whole list, for whoever is not offered it


def test_a_refused_parish_keeps_what_was_typed_and_says_why_on_the_parish_field(
    client, officer, administrator
):
    parishes_listed(administrator)
    application = applicant()
    client.force_login(officer)
    response = client.post(connection_url(application), typed("Hyth"))
    assert response.status_code == 400
    html = response.content.decode()
    message = "Hyth is not a parish in the lettings policy: choose from the list"
    assert f'<a href="#id_parish">{message}</a>' in html  # the error summary, to the field
    # On the parish field, above what was typed, which stays in the box.
    on_the_field = (
        r'<div id="div_id_parish" class="govuk-form-group govuk-form-group--error">.*?'
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*'
        rf"{message}\s*</span>\s*<input[^>]*name=\"parish\" value=\"Hyth\""
    )
    assert re.search(on_the_field, html, re.DOTALL)
    assert "Council tax bill" in html
    assert not HouseholdConnection.objects.exists()


def test_a_refused_parish_is_told_with_the_forms_own_errors(client, officer, administrator):
    parishes_listed(administrator)
    client.force_login(officer)
    response = client.post(connection_url(applicant()), typed("Hyth", evidence_seen=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the evidence seen" in html
    assert "Hyth is not a parish in the lettings policy: choose from the list" in html


def test_a_listed_parish_is_recorded_from_the_page_as_the_policy_spells_it(
    client, officer, administrator
):
    parishes_listed(administrator)
    application = applicant()
    client.force_login(officer)
    response = client.post(connection_url(application), typed(" hythe"), follow=True)
    assert response.redirect_chain == [
        (reverse("allocations:application-bids", args=[application.pk]), 302)
    ]
    assert "The connection to Hythe was recorded." in response.content.decode()
    assert HouseholdConnection.objects.get().parish == "Hythe"


def test_without_the_list_the_page_takes_any_parish_as_before(client, officer):
    application = applicant()
    client.force_login(officer)
    assert 'list="parish-list"' not in client.get(connection_url(application)).content.decode()
    response = client.post(connection_url(application), typed("Hyth"))
    assert response.status_code == 302
    assert HouseholdConnection.objects.get().parish == "Hyth"


def test_a_list_leaving_out_a_parish_the_adjacency_table_names_is_not_published(administrator):
    before = PolicyVersion.objects.count()
    with pytest.raises(ValidationError) as refused:
        parishes_listed(administrator, [p for p in PARISHES if p != "Sandgate"])
    assert refused.value.messages == [
        "The adjacency table names Sandgate, which is not in the list of parishes: correct its "
        "spelling or add it to the list"
    ]
    assert PolicyVersion.objects.count() == before
