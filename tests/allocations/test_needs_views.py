"""What a household needs from a home, recorded by officers on pages: its access category with
the occupational therapist's or medical assessment behind it (health data: shown only to roles
allowed it, each showing logged), and a group the policy exempts from the local connection
test (beside its connections on the Bids page, which gives it tier 1 for every home)."""

import re
import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from allocations import selectors, services, tasks
from allocations.models import Application, ShortlistEntry
from config.kernel.dates import page_date
from residents.models import SpecialCategoryView
from tests.allocations.cbl import advert, applicant, connect, cycle_opening, uk
from tests.conftest import Client

pytestmark = pytest.mark.django_db

FINDINGS = "wheelchair user indoors, needs level access to the bathroom"
ASSESSMENT = f"Occupational therapist, Northshire Community Health, 12 October 2026: {FINDINGS}"
OPEN = uk(2027, 3, 26, 10, 0)


def access_url(application) -> str:
    return reverse("allocations:access-needs-record", args=[application.pk])


def exemption_url(application) -> str:
    return reverse("allocations:connection-exemption", args=[application.pk])


def bids_url(application) -> str:
    return reverse("allocations:application-bids", args=[application.pk])


def assessed(officer, category="c") -> Application:
    application = applicant()
    return services.access_needs_record(
        application=application, category=category, assessment=ASSESSMENT, by=officer
    )


def chosen(value: str, html: str) -> bool:
    """Whether the radio of this value is checked on the page."""
    return re.search(rf'value="{value}"\s+checked', html) is not None


def shown_to(user, where: str) -> set[tuple[int, tuple[str, ...]]]:
    return {
        (view.person_id, tuple(view.fields))
        for view in SpecialCategoryView.objects.filter(user=user, where=where)
    }


def everyone_in(application, *fields: str) -> set[tuple[int, tuple[str, ...]]]:
    return {(pk, fields) for pk in application.household.people.values_list("pk", flat=True)}


# --- Access needs -----------------------------------------------------------------------------


def test_the_access_needs_page_offers_the_policys_categories(client, officer):
    application = applicant()
    client.force_login(officer)
    page = client.get(access_url(application))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Record access needs for {application}" in html
    assert "Now: not assessed." in html
    for words in (
        "A: wheelchair accessible throughout",
        "C: step-free or level access",
        "F: general needs",
    ):
        assert words in html
    # Nothing recorded, nothing shown: no showing logged.
    assert not SpecialCategoryView.objects.exists()


def test_an_officer_records_access_needs_and_the_history_says_who_and_what_changed(client, officer):
    application = applicant()
    client.force_login(officer)
    response = client.post(
        access_url(application), {"category": "c", "assessment": ASSESSMENT}, follow=True
    )
    assert response.redirect_chain == [(application.get_absolute_url(), 302)]
    html = response.content.decode()
    assert f"{application}: access category C: step-free or level access recorded." in html
    application.refresh_from_db()
    assert (application.access_category, application.access_assessment) == ("c", ASSESSMENT)
    assert application.needs_accessible_home
    latest = application.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Access category C (was not assessed) from an assessment",
    )
    # Recorded again at another category: the history names the one before.
    client.post(access_url(application), {"category": "f", "assessment": "Reassessed: none"})
    application.refresh_from_db()
    assert not application.needs_accessible_home
    assert application.history.first().history_change_reason == (
        "Access category F (was C) from an assessment"
    )


def test_a_refused_access_needs_form_says_why_keeps_what_was_typed_and_writes_nothing(
    client, officer
):
    application = applicant()
    client.force_login(officer)
    rows = application.history.count()
    no_category = client.post(access_url(application), {"assessment": ASSESSMENT})
    assert no_category.status_code == 400
    html = no_category.content.decode()
    assert "Select the household&#x27;s access category" in html
    assert FINDINGS in html
    no_assessment = client.post(access_url(application), {"category": "b", "assessment": "  "})
    assert no_assessment.status_code == 400
    html = no_assessment.content.decode()
    assert "Enter the assessment: who assessed, when and what they found" in html
    assert chosen("b", html)
    not_the_policys = client.post(access_url(application), {"category": "z", "assessment": "OT"})
    assert "Select one of the policy&#x27;s access categories" in not_the_policys.content.decode()
    too_long = client.post(access_url(application), {"category": "b", "assessment": "x" * 2001})
    assert "The assessment must be 2000 characters or fewer" in too_long.content.decode()
    application.refresh_from_db()
    assert (application.access_category, application.access_assessment) == ("", "")
    assert application.history.count() == rows


def test_the_service_refuses_every_problem_at_once_and_writes_nothing(officer):
    application = applicant()
    with pytest.raises(ValidationError) as refused:
        services.access_needs_record(
            application=application, category="z", assessment=" ", by=officer
        )
    assert refused.value.message_dict == {
        "category": ["Select one of the policy's access categories"],
        "assessment": ["Enter the assessment: who assessed, when and what they found"],
    }
    assert application.history.count() == 1


def test_the_application_page_shows_the_category_to_every_reader_and_the_findings_only_to_those_allowed(  # noqa: E501
    client, officer, head_of_service
):
    application = assessed(officer)
    url = application.get_absolute_url()
    client.force_login(head_of_service)
    html = client.get(url).content.decode()
    assert "C: step-free or level access" in html
    assert FINDINGS not in html
    assert access_url(application) not in html  # may not record them either
    assert not SpecialCategoryView.objects.exists()

    client.force_login(officer)
    html = client.get(url).content.decode()
    assert "C: step-free or level access" in html and FINDINGS in html
    assert access_url(application) in html
    assert shown_to(officer, "application") == everyone_in(
        application, "application:access_assessment"
    )


def test_an_application_not_assessed_says_so_and_logs_no_showing(client, officer):
    application = applicant()
    client.force_login(officer)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "Access needs</dt>" in html and "Not assessed" in html
    assert not SpecialCategoryView.objects.exists()


def test_the_record_page_prefills_the_findings_for_an_officer_and_logs_the_showing(client, officer):
    application = assessed(officer)
    client.force_login(officer)
    html = client.get(access_url(application)).content.decode()
    assert "Now: C: step-free or level access." in html
    assert FINDINGS in html and chosen("c", html)
    assert shown_to(officer, "record access needs") == everyone_in(
        application, "application:access_assessment"
    )


@pytest.mark.parametrize("role", ["head_of_service", "business_support", "auditor"])
def test_roles_that_may_not_record_access_needs_are_refused_and_shown_nothing(
    client, officer, user_for_role, role
):
    application = assessed(officer)
    client.force_login(user_for_role(role))
    assert client.get(access_url(application)).status_code == 403
    posted = client.post(access_url(application), {"category": "a", "assessment": "Changed"})
    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.access_category == "c"
    assert not SpecialCategoryView.objects.exists()


# --- Exemption from the connection test -------------------------------------------------------


def test_the_bids_page_says_the_household_is_not_exempt_and_links_the_exemption_page(
    client, officer
):
    application = applicant()
    client.force_login(officer)
    html = client.get(bids_url(application)).content.decode()
    assert "Exemption from the connection test:</strong> Not exempt." in html
    assert exemption_url(application) in html


def test_the_exemption_page_offers_the_policys_groups_and_not_exempt(client, officer):
    application = applicant()
    client.force_login(officer)
    page = client.get(exemption_url(application))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Now: not exempt." in html
    for label in (
        "Serving or former members of the armed forces",
        "Care leavers",
        "People fleeing violence or abuse",
        "Not exempt",
    ):
        assert label in html
    assert "checked" not in html  # nothing chosen for the officer


def test_an_officer_records_an_exemption_and_the_bids_page_shows_it(client, officer):
    application = applicant()
    client.force_login(officer)
    response = client.post(
        exemption_url(application),
        {"group": "care_leaver", "reason": "Letter from the leaving care team, 3 March 2027"},
        follow=True,
    )
    assert response.redirect_chain == [(bids_url(application), 302)]
    html = response.content.decode()
    assert f"{application} is exempt from the connection test as Care leavers." in html
    assert (
        "Exempt from the local connection test:</strong> Care leavers — recorded by "
        f"{escape(officer.get_full_name())} on {page_date(timezone.localdate())}: "
        "Letter from the leaving care team, 3 March 2027<br>Tier 1 for every home" in html
    )
    application.refresh_from_db()
    assert application.connection_exempt_group == "care_leaver"
    latest = application.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Exempt from the connection test as Care leavers: "
        "Letter from the leaving care team, 3 March 2027",
    )
    # The page again: the group recorded now is chosen.
    assert chosen("care_leaver", client.get(exemption_url(application)).content.decode())


def test_not_exempt_ends_an_exemption_saying_what_it_was(client, officer):
    application = applicant()
    services.connection_exemption_record(
        application=application, group="armed_forces", reason="Service record", by=officer
    )
    client.force_login(officer)
    response = client.post(
        exemption_url(application), {"group": "none", "reason": "Discharge papers were forged"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.connection_exempt_group == ""
    assert application.history.first().history_change_reason == (
        "No longer exempt from the connection test (was Serving or former members of the armed "
        "forces): Discharge papers were forged"
    )
    html = client.get(bids_url(application)).content.decode()
    assert "Not exempt." in html


def test_a_refused_exemption_says_why_keeps_what_was_typed_and_writes_nothing(client, officer):
    application = applicant()
    client.force_login(officer)
    rows = application.history.count()
    no_group = client.post(exemption_url(application), {"reason": "Refuge referral letter"})
    assert no_group.status_code == 400
    html = no_group.content.decode()
    assert "Select the group the household is exempt as, or &#x27;Not exempt&#x27;" in html
    assert "Refuge referral letter" in html
    no_reason = client.post(exemption_url(application), {"group": "fleeing_violence"})
    assert no_reason.status_code == 400
    html = no_reason.content.decode()
    assert "Enter the evidence seen" in html
    assert chosen("fleeing_violence", html)
    not_the_policys = client.post(exemption_url(application), {"group": "x", "reason": "Note"})
    assert "Select one of the policy&#x27;s exempt groups" in not_the_policys.content.decode()
    application.refresh_from_db()
    assert application.connection_exempt_group == ""
    assert application.history.count() == rows


def test_an_exempt_households_tier_for_a_home_is_1_from_the_moment_it_is_recorded(client, officer):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
    application, rival = applicant(band=2), applicant(band=3)  # a better band, no connection
    connect(rival, "Cheriton")
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, parish="Cheriton")
        for bidder in (application, rival):
            services.place_bid(application=bidder, advert=home, channel="phone", by=officer)
        assert [(p.tier, p.position) for p in selectors.bid_positions(application)] == [(3, 2)]
        client.force_login(officer)
        client.post(exemption_url(application), {"group": "care_leaver", "reason": "Letter"})
        # Tier 1 now, as the rival's: its better band puts it first.
        assert [(p.tier, p.position) for p in selectors.bid_positions(application)] == [(1, 1)]
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 5), tick=False):
        tasks.cycles_close_due()
    entry = ShortlistEntry.objects.get(vacancy=home, application=application)
    assert (entry.position, entry.connection_tier) == (1, 1)
    assert entry.connection_reason == (
        "Exempt from the connection test (Care leavers): treated as own parish"
    )


def test_the_exempt_group_is_not_shown_to_a_sites_manager_on_the_frozen_shortlist(
    client, officer, sites_manager
):
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
    application = applicant()
    services.connection_exemption_record(
        application=application, group="fleeing_violence", reason="Refuge letter", by=officer
    )
    with time_machine.travel(OPEN, tick=False):
        home = advert(cycle, officer, parish="Cheriton")
        services.place_bid(application=application, advert=home, channel="phone", by=officer)
    with time_machine.travel(uk(2027, 3, 30, 0, 0, 5), tick=False):
        tasks.cycles_close_due()
    client.force_login(sites_manager)
    html = client.get(home.get_absolute_url()).content.decode()
    assert "Tier 1" in html and "fleeing violence" not in html
    client.force_login(officer)
    assert (
        "People fleeing violence or abuse" in client.get(home.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("role", ["head_of_service", "auditor", "sites_manager", "provider_staff"])
def test_roles_that_may_not_change_applications_cannot_record_an_exemption(
    client, officer, user_for_role, role
):
    application = applicant()
    user = user_for_role(role)
    client.force_login(user)
    assert client.get(exemption_url(application)).status_code == 403
    posted = client.post(exemption_url(application), {"group": "care_leaver", "reason": "Letter"})
    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.connection_exempt_group == ""
    if user.has_perm("allocations.view_bid"):
        assert exemption_url(application) not in client.get(bids_url(application)).content.decode()


# --- Two saves at once ------------------------------------------------------------------------


def test_two_officers_saving_at_once_both_save_in_turn_without_an_error(
    transactional_db, officer, team_leader
):
    application = applicant()
    barrier, answers = threading.Barrier(4), []
    saves = [
        (officer, access_url(application), {"category": "b", "assessment": "OT one"}),
        (team_leader, access_url(application), {"category": "d", "assessment": "OT two"}),
        (officer, exemption_url(application), {"group": "care_leaver", "reason": "A"}),
        (team_leader, exemption_url(application), {"group": "none", "reason": "B"}),
    ]

    def post(client, url, data):
        try:
            barrier.wait()
            answers.append(client.post(url, data)["Location"])
        finally:
            connection.close()

    threads = []
    for user, url, data in saves:
        client = Client()
        client.force_login(user)
        threads.append(threading.Thread(target=post, args=(client, url, data)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted(
        [application.get_absolute_url()] * 2 + [bids_url(application)] * 2
    )
    reasons = list(
        application.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    # Each save read the one before it under the lock: the history tells them in turn.
    assert len(reasons) == 5
    saved = reasons[1:]  # after the application's own first row
    access = [r for r in saved if r.startswith("Access category")]
    assert len(access) == 2 and "(was not assessed)" in access[0]
    assert "(was B)" in access[1] or "(was D)" in access[1]
    # Neither save wrote over the other's field with what it read before the lock.
    application.refresh_from_db()
    assert (application.access_category, application.access_assessment) in {
        ("b", "OT one"),
        ("d", "OT two"),
    }
    last_exemption = [r for r in saved if not r.startswith("Access")][-1]
    assert application.connection_exempt_group == (
        "" if last_exemption.startswith(("Not exempt", "No longer")) else "care_leaver"
    )
