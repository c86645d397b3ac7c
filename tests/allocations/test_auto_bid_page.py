"""A household's auto-bidding recorded, changed or stopped by an officer: the page reached from
its Bids page (the policy's groups, the areas, home types and highest floor, on or off, and
why), the one service with the officer's reason in the history, refusals that keep what was
typed and write nothing, and two officers saving at once."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from allocations import selectors, services, tasks
from allocations.models import AutoBidPreference, Bid
from allocations.selectors import application_named
from allocations.services import needs
from tests.allocations.cbl import (
    advert,
    applicant,
    auto_bid_last_change,
    cycle_opening,
    parishes_listed,
    uk,
)
from tests.allocations.factories import ActiveApplicationFactory
from tests.conftest import Client
from tests.races import saved_by_someone_else_first, saved_by_someone_else_meanwhile

pytestmark = pytest.mark.django_db

REASON = "Cannot bid for themselves: support worker's letter of 3 March"
CHANGED_SINCE = (
    "{who} changed these auto-bidding preferences at {when} after you opened this page: "
    "check them and save again"
)


def page_url(application) -> str:
    return reverse("allocations:application-auto-bids", args=[application.pk])


def bids_url(application) -> str:
    return reverse("allocations:application-bids", args=[application.pk])


def typed(**changes) -> dict:
    return {
        "active": "yes",
        "group": "statutory_duty",
        "areas": "Folkestone\r\n  Hythe \r\n\r\n",
        "home_types": ["flat", "house"],
        "highest_floor": "2",
        "reason": REASON,
    } | changes


def hidden(html: str) -> dict[str, str]:
    """The page's hidden inputs, as the browser sends them back."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?', html))


def opened(client, application) -> dict[str, str]:
    """What the page opened now sends back unseen: the preferences' latest change it showed."""
    return hidden(client.get(page_url(application)).content.decode())


def checked(value: str, html: str) -> bool:
    return re.search(rf'value="{value}"\s+checked', html) is not None


def saved(application, by, **fields) -> AutoBidPreference:
    """Saved as from a page opened just now, unless `last_change_seen` says otherwise."""
    return services.auto_bid_preference_save(
        application=application,
        group=fields.pop("group", "cannot_bid"),
        reason=fields.pop("reason", REASON),
        by=by,
        last_change_seen=fields.pop("last_change_seen", auto_bid_last_change(application)),
        **fields,
    )


# --- The Bids page says where the household stands, and links to the page --------------------


def test_the_bids_page_says_a_household_is_not_auto_bidding_and_offers_to_set_it_up(
    client, officer
):
    application = applicant()
    client.force_login(officer)
    html = client.get(bids_url(application)).content.decode()
    assert "Not auto-bidding" in html
    assert "Set up auto-bidding" in html
    assert page_url(application) in html


def test_the_page_offers_the_groups_of_the_policy_in_force(client, officer):
    client.force_login(officer)
    response = client.get(page_url(applicant()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Auto-bidding for Application" in html
    assert "Vulnerable and unable to bid for themselves" in html
    assert "Owed the main housing duty" in html
    assert 'value="cannot_bid"' in html and 'value="statutory_duty"' in html
    assert "Sheltered flat" in html  # the home types adverts use
    assert "Not auto-bidding" in html


def test_an_officer_sets_up_auto_bidding_with_why_and_the_bids_page_says_so_by_name(
    client, officer
):
    application = applicant()
    client.force_login(officer)
    sent = opened(client, application) | typed()
    response = client.post(page_url(application), sent, follow=True)
    assert response.redirect_chain == [(bids_url(application), 302)]
    html = response.content.decode()
    assert f"Auto-bidding for {_named(application)} is on." in html
    assert (
        "Auto-bidding on: owed the main housing duty; areas Folkestone, Hythe; flats, houses; "
        "up to floor 2" in html
    )
    assert "Change auto-bidding" in html
    assert f"by {officer.get_full_name()}: Auto-bidding set up: Cannot bid" in html
    assert f"by {officer.username}" not in html
    preference = AutoBidPreference.objects.get(application=application)
    assert (preference.group, preference.areas, preference.home_types) == (
        "statutory_duty",
        ["Folkestone", "Hythe"],
        ["flat", "house"],
    )
    assert (preference.highest_floor, preference.active) == (2, True)
    (row,) = preference.history.all()
    assert (row.history_user, row.history_change_reason) == (
        officer,
        f"Auto-bidding set up: {REASON}",
    )


def test_the_page_shows_the_households_preferences_to_change(client, officer):
    application = applicant()
    saved(application, officer, areas=["Cheriton", "Sandgate"], home_types=["bungalow"])
    client.force_login(officer)
    html = client.get(page_url(application)).content.decode()
    assert "Cheriton\nSandgate</textarea>" in html
    assert checked("bungalow", html)
    assert checked("cannot_bid", html)
    html = client.get(bids_url(application)).content.decode()
    assert "Auto-bidding on: vulnerable and unable to bid for themselves; areas Cheriton" in html
    assert "bungalows; any floor" in html
    assert "Change auto-bidding" in html


def test_a_refused_save_says_every_problem_keeps_what_was_typed_and_writes_nothing(
    client, officer, administrator
):
    parishes_listed(administrator)
    application = applicant()
    client.force_login(officer)
    response = client.post(
        page_url(application),
        typed(areas="Folkestone\r\nHyth", highest_floor="-1", reason="  "),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hyth is not a parish in the lettings policy: choose from the list" in html
    assert "The highest floor must be 0 (the ground floor) or more" in html
    assert "Enter the reason for this change" in html
    assert "Folkestone\r\nHyth</textarea>" in html
    assert 'value="-1"' in html
    assert checked("statutory_duty", html)
    assert checked("house", html)
    assert "The parishes in the lettings policy" in html  # the whole list, under the areas
    assert not AutoBidPreference.objects.exists()
    assert not AutoBidPreference.history.exists()


def test_a_floor_that_is_not_a_number_and_a_missing_group_are_told_on_their_fields(client, officer):
    client.force_login(officer)
    application = applicant()
    response = client.post(
        page_url(application), opened(client, application) | typed(group="", highest_floor="two")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select why the council bids for the household" in html
    assert "Enter the highest floor as a whole number, like 2 (0 for the ground floor)" in html
    assert 'value="two"' in html
    assert not AutoBidPreference.objects.exists()


def test_turning_auto_bidding_off_keeps_the_preferences_with_who_and_why(client, officer):
    application = applicant()
    saved(application, officer, areas=["Folkestone"], highest_floor=1)
    client.force_login(officer)
    response = client.post(
        page_url(application),
        opened(client, application)
        | typed(active="no", group="cannot_bid", areas="Folkestone", home_types=[],
              highest_floor="1", reason="Now bidding for herself with her daughter's help"),
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert f"Auto-bidding for {_named(application)} is off; its preferences are kept." in html
    assert "Not auto-bidding (stopped; the preferences are kept)" in html
    assert "Change auto-bidding" in html
    preference = AutoBidPreference.objects.get()
    assert (preference.active, preference.areas, preference.highest_floor) == (
        False,
        ["Folkestone"],
        1,
    )
    latest = preference.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Auto-bidding stopped: Now bidding for herself with her daughter's help",
    )
    assert preference.history.count() == 2


def test_stopping_auto_bidding_needs_no_group_and_no_longer_trips_on_old_areas(
    client, officer, administrator
):
    # Recorded under free text ("Hyth"), then the policy listed its parishes: stopping it is
    # not refused for the preferences it keeps, and no group need be chosen (the one recorded
    # stays); turning it on again checks them.
    application = applicant()
    saved(application, officer, areas=["Hyth"])
    parishes_listed(administrator)
    client.force_login(officer)
    stop = typed(active="no", group="", areas="Hyth", home_types=[], highest_floor="",
                 reason="Now bidding for herself")  # fmt: skip
    response = client.post(page_url(application), opened(client, application) | stop, follow=True)
    assert f"Auto-bidding for {_named(application)} is off; its preferences are kept." in (
        response.content.decode()
    )
    preference = AutoBidPreference.objects.get()
    assert (preference.active, preference.group, preference.areas) == (
        False,
        "cannot_bid",
        ["Hyth"],
    )
    again = client.post(
        page_url(application),
        opened(client, application) | stop | {"active": "yes", "reason": "Again"},
    )
    assert again.status_code == 400
    html = again.content.decode()
    assert "Select why the council bids for the household" in html
    assert "Hyth is not a parish in the lettings policy: choose from the list" in html
    assert AutoBidPreference.objects.get().active is False


def test_stopping_auto_bidding_never_set_up_still_asks_why_the_council_would_bid(officer):
    with pytest.raises(ValidationError) as refused:
        saved(applicant(), officer, group="", active=False)
    assert refused.value.message_dict == {
        "group": ["Select why the council bids for the household"]
    }
    assert not AutoBidPreference.objects.exists()


def test_the_auto_bidder_places_no_bid_for_a_household_whose_auto_bidding_is_off(officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer, parish="Cheriton")
        off, on = applicant(), applicant()
        saved(off, officer, areas=["Cheriton"])
        saved(off, officer, areas=["Cheriton"], active=False, reason="Bids for herself now")
        saved(on, officer, areas=["Cheriton"])
    with time_machine.travel(uk(2027, 3, 25, 0, 0, 30), tick=False):
        assert tasks.cycles_open_due() == [cycle.reference]
    assert not Bid.objects.filter(application=off).exists()
    assert Bid.objects.filter(application=on, channel=Bid.Channel.AUTO).count() == 1


def test_a_role_that_may_not_change_applications_cannot_set_up_auto_bidding(client, auditor):
    application = applicant()
    client.force_login(auditor)
    assert client.get(page_url(application)).status_code == 403
    assert client.post(page_url(application), typed()).status_code == 403
    html = client.get(bids_url(application)).content.decode()
    assert "Not auto-bidding" in html
    assert page_url(application) not in html
    assert not AutoBidPreference.objects.exists()


def test_a_pitch_application_has_no_auto_bidding_page(client, officer):
    pitch = ActiveApplicationFactory()
    client.force_login(officer)
    assert client.get(page_url(pitch)).status_code == 404
    assert client.post(page_url(pitch), typed()).status_code == 404
    assert "Auto-bidding" not in client.get(bids_url(pitch)).content.decode()


# --- The service ------------------------------------------------------------------------------


def test_the_officers_reason_is_required_and_kept_in_the_history(officer):
    application = applicant()
    with pytest.raises(ValidationError) as refused:
        saved(application, officer, group="nobody", reason="  ")
    assert refused.value.message_dict == {
        "group": ["The policy does not auto-bid for that group"],
        "reason": ["Enter the reason for this change"],
    }
    assert not AutoBidPreference.objects.exists()
    preference = saved(application, officer, reason="  Main housing duty accepted ")
    assert preference.history.get().history_change_reason == (
        "Auto-bidding set up: Main housing duty accepted"
    )
    saved(application, officer, areas=["Hythe"], reason="Moved her choice to Hythe")
    assert preference.history.first().history_change_reason == (
        "Auto-bid preferences changed: Moved her choice to Hythe"
    )


def test_a_home_type_adverts_do_not_use_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        saved(applicant(), officer, home_types=["flat", "castle"])
    assert refused.value.message_dict == {"home_types": ["Select the types of home from the list"]}
    assert not AutoBidPreference.objects.exists()


# --- Two officers at once, and a save on preferences changed since they were read -----------


def test_two_officers_setting_up_auto_bidding_at_once_the_second_is_refused_not_a_500(
    transactional_db, officer, team_leader
):
    """Both pages opened before either saved: the second save waits for the first (the
    application's row is locked), then finds preferences it never saw and writes nothing."""
    application = applicant()
    others: list[object] = []

    def other_officer() -> None:
        try:
            others.append(
                saved(application, team_leader, areas=["Hythe"], reason="Hythe first",
                      last_change_seen=None)
            )  # fmt: skip
        except Exception as error:  # reported by the assertion below
            others.append(error)
        finally:
            connection.close()

    with saved_by_someone_else_meanwhile(AutoBidPreference, other_officer):
        mine = saved(application, officer, areas=["Cheriton"], reason="Cheriton first",
                     last_change_seen=None)  # fmt: skip
    assert mine.pk is not None
    (refusal,) = others
    assert isinstance(refusal, ValidationError)
    assert refusal.messages == [
        CHANGED_SINCE.format(
            who=officer.get_full_name(),
            when=timezone.localtime(mine.history.get().history_date).strftime("%H:%M"),
        )
    ]
    preference = AutoBidPreference.objects.get()
    assert preference.areas == ["Cheriton"]
    assert [row.history_change_reason for row in preference.history.all()] == [
        "Auto-bidding set up: Cheriton first"
    ]


def test_were_the_applications_lock_not_taken_a_second_set_up_is_still_refused_not_a_500(
    transactional_db, officer, team_leader, monkeypatch
):
    """The one-to-one's unique constraint is the last word: the colleague's set-up commits
    between this save's checks and its insert, and this one is refused in the same words."""
    monkeypatch.setattr(needs, "application_locked", lambda application: application)
    application = applicant()
    with (
        saved_by_someone_else_first(
            AutoBidPreference,
            lambda: saved(application, team_leader, areas=["Hythe"], last_change_seen=None),
        ),
        pytest.raises(ValidationError) as refused,
    ):
        saved(application, officer, areas=["Cheriton"], last_change_seen=None)
    theirs = AutoBidPreference.history.get()
    assert refused.value.messages == [
        CHANGED_SINCE.format(
            who=team_leader.get_full_name(),
            when=timezone.localtime(theirs.history_date).strftime("%H:%M"),
        )
    ]
    assert AutoBidPreference.objects.get().areas == ["Hythe"]


def test_a_save_on_preferences_changed_since_the_page_was_opened_is_refused_writing_nothing(
    officer, team_leader
):
    with time_machine.travel(uk(2027, 6, 10, 13, 50), tick=False):
        application = applicant()
        saved(application, officer, areas=["Cheriton"])
        seen = auto_bid_last_change(application)
    with time_machine.travel(uk(2027, 6, 10, 14, 5), tick=False):
        saved(application, team_leader, areas=["Hythe"], reason="She now wants Hythe")
    with (
        time_machine.travel(uk(2027, 6, 10, 14, 20), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        saved(application, officer, areas=["Sandgate"], active=False, last_change_seen=seen)
    assert refused.value.messages == [
        CHANGED_SINCE.format(who=team_leader.get_full_name(), when="14:05")
    ]
    preference = AutoBidPreference.objects.get()
    assert (preference.areas, preference.active) == (["Hythe"], True)
    assert preference.history.count() == 2


def test_a_change_made_on_an_earlier_day_is_told_with_its_date(officer, team_leader):
    with time_machine.travel(uk(2027, 6, 9, 16, 30), tick=False):
        application = applicant()  # the page opened before anything was recorded...
        saved(application, team_leader, areas=["Hythe"])  # ...and set up by a colleague
    with (
        time_machine.travel(uk(2027, 6, 10, 9, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        saved(application, officer, last_change_seen=None)
    assert refused.value.messages == [
        CHANGED_SINCE.format(who=team_leader.get_full_name(), when="16:30 on 9 June 2027")
    ]
    assert AutoBidPreference.history.count() == 1


def test_a_save_from_the_page_as_it_now_is_is_taken(officer, team_leader):
    application = applicant()
    saved(application, officer, areas=["Cheriton"])
    saved(
        application,
        team_leader,
        areas=["Hythe"],
        last_change_seen=auto_bid_last_change(application),
    )
    assert AutoBidPreference.objects.get().areas == ["Hythe"]


# --- A save made on a page opened before a colleague's save -----------------------------------


def error_summary(html: str) -> str:
    return html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]


def test_a_save_on_a_page_opened_before_a_colleagues_save_is_refused_keeping_what_was_typed(
    officer, team_leader
):
    # 10 June 2027 is in British Summer Time: the time said is UK time, not UTC.
    with time_machine.travel(uk(2027, 6, 10, 13, 50), tick=False):
        application = applicant()
        saved(application, officer, areas=["Cheriton"], reason="Cheriton first")
        mine, theirs = Client(), Client()
        mine.force_login(officer)
        theirs.force_login(team_leader)
        my_page = mine.get(page_url(application)).content.decode()
        their_page = theirs.get(page_url(application)).content.decode()
    with time_machine.travel(uk(2027, 6, 10, 14, 5), tick=False):
        theirs_saved = theirs.post(
            page_url(application),
            hidden(their_page) | typed(areas="Hythe", reason="She now wants Hythe"),
        )
        assert theirs_saved.status_code == 302
    rows = AutoBidPreference.history.count()
    with time_machine.travel(uk(2027, 6, 10, 14, 20), tick=False):
        refused = mine.post(
            page_url(application),
            hidden(my_page)
            | typed(areas="Sandgate\r\nFolkestone", highest_floor="3", reason="Sandgate first"),
        )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert CHANGED_SINCE.format(who=escape(team_leader.get_full_name()), when="14:05") in (
        error_summary(html)
    )
    # What the officer typed is kept; the page says what the preferences are now.
    assert "Sandgate\r\nFolkestone</textarea>" in html
    assert 'value="3"' in html
    assert "Sandgate first</textarea>" in html
    assert checked("statutory_duty", html)
    assert "Now: Auto-bidding on: owed the main housing duty; area Hythe;" in html
    # Nothing written: the colleague's change stands.
    preference = AutoBidPreference.objects.get()
    assert (preference.areas, preference.highest_floor) == (["Hythe"], 2)
    assert AutoBidPreference.history.count() == rows
    # Having seen it, the officer saves again from the page as shown, and it is taken.
    with time_machine.travel(uk(2027, 6, 10, 14, 25), tick=False):
        again = mine.post(
            page_url(application),
            hidden(html) | typed(areas="Sandgate\r\nHythe", reason="Sandgate first, then Hythe"),
        )
    assert again.status_code == 302
    assert AutoBidPreference.objects.get().areas == ["Sandgate", "Hythe"]


def test_setting_up_auto_bidding_a_colleague_set_up_meanwhile_is_refused_not_made_twice(
    officer, team_leader
):
    with time_machine.travel(uk(2027, 6, 10, 9, 0), tick=False):
        application = applicant()
        mine, theirs = Client(), Client()
        mine.force_login(officer)
        theirs.force_login(team_leader)
        my_page = mine.get(page_url(application)).content.decode()
        their_page = theirs.get(page_url(application)).content.decode()
        first = theirs.post(page_url(application), hidden(their_page) | typed(areas="Hythe"))
        assert first.status_code == 302
        refused = mine.post(page_url(application), hidden(my_page) | typed(areas="Sandgate"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert CHANGED_SINCE.format(who=escape(team_leader.get_full_name()), when="09:00") in (
        error_summary(html)
    )
    assert "Sandgate</textarea>" in html
    assert AutoBidPreference.objects.get().areas == ["Hythe"]
    assert AutoBidPreference.history.count() == 1


def test_a_save_from_a_page_that_did_not_say_what_it_showed_is_refused_then_taken(client, officer):
    # A page opened before it carried the preferences' latest change, or one tampered with.
    application = applicant()
    saved(application, officer, areas=["Cheriton"])
    client.force_login(officer)
    rows = AutoBidPreference.history.count()
    for sent in ({}, {"last_change_seen": "x"}, {"last_change_seen": ""}):
        refused = client.post(page_url(application), sent | typed(areas="Sandgate"))
        assert refused.status_code == 400
        html = refused.content.decode()
        assert (
            "This page did not say which auto-bidding preferences it showed: check them and "
            "save again" in error_summary(html)
        )
        assert "Sandgate</textarea>" in html
        assert AutoBidPreference.history.count() == rows
    again = client.post(page_url(application), hidden(html) | typed(areas="Sandgate"))
    assert again.status_code == 302
    assert AutoBidPreference.objects.get().areas == ["Sandgate"]


def test_a_colleagues_save_after_the_page_read_them_is_shown_as_it_is_once_refused(
    officer, team_leader, monkeypatch
):
    # The colleague's save commits after this request read the preferences (for the page)
    # but before the service locks them: refused, the page must show them as they are then,
    # and carry that change, so that saving again is taken (not refused a second time).
    with time_machine.travel(uk(2027, 6, 10, 13, 50), tick=False):
        application = applicant()
        saved(application, officer, areas=["Cheriton"], reason="Cheriton first")
        client = Client()
        client.force_login(officer)
        page = client.get(page_url(application)).content.decode()
    read = selectors.auto_bid_state

    def read_then_colleague_saves(*args, **kwargs):
        state = read(*args, **kwargs)
        monkeypatch.setattr(selectors, "auto_bid_state", read)
        saved(application, team_leader, areas=["Hythe"], reason="She now wants Hythe")
        return state

    monkeypatch.setattr(selectors, "auto_bid_state", read_then_colleague_saves)
    with time_machine.travel(uk(2027, 6, 10, 14, 5), tick=False):
        refused = client.post(
            page_url(application), hidden(page) | typed(areas="Sandgate", reason="Sandgate")
        )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert CHANGED_SINCE.format(who=escape(team_leader.get_full_name()), when="14:05") in (
        error_summary(html)
    )
    assert "area Hythe;" in html and "area Cheriton" not in html
    with time_machine.travel(uk(2027, 6, 10, 14, 10), tick=False):
        again = client.post(
            page_url(application), hidden(html) | typed(areas="Sandgate", reason="Sandgate")
        )
    assert again.status_code == 302
    assert AutoBidPreference.objects.get().areas == ["Sandgate"]


def test_an_area_recorded_before_the_policy_listed_its_parishes_is_said_not_to_be_one(
    client, officer, administrator
):
    # "Hyth" was taken as free text; once the policy lists the parishes it matches no advert's
    # parish, and the Bids page and the Auto-bidding page say so beside it.
    application = applicant()
    saved(application, officer, group="statutory_duty", areas=["Hyth", "Folkestone"])
    parishes_listed(administrator)
    client.force_login(officer)
    for url in (bids_url(application), page_url(application)):
        page = client.get(url)
        assert page.status_code == 200
        assert "areas Hyth (not a parish in the policy), Folkestone;" in page.content.decode()


def test_all_bids_are_listed_a_page_at_a_time(client, officer):
    """A household with more bids than fit on a page sees every one, a page at a time, with
    how many there are (not the newest 50 with no word of the rest)."""
    from allocations.views.common import PAGE_SIZE

    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        homes = [advert(cycle, officer) for _ in range(PAGE_SIZE + 1)]
    household = applicant()
    Bid.objects.bulk_create(
        Bid(vacancy=home, application=household, placed_by=officer, channel=Bid.Channel.PHONE)
        for home in homes
    )
    client.force_login(officer)
    first = client.get(bids_url(household)).content.decode()
    second = client.get(bids_url(household), {"page": 2}).content.decode()
    listed = [home.reference for home in homes if home.reference in first]
    assert len(listed) == PAGE_SIZE
    assert f"of {PAGE_SIZE + 1} results" in first
    assert [home.reference for home in homes if home.reference in second] == [
        home.reference for home in homes if home.reference not in listed
    ]


def _named(application) -> str:
    """The household by its lead's name with the application's reference, as the banner says."""
    return application_named(application).replace("'", "&#x27;")
