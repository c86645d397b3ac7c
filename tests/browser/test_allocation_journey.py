"""The allocation engine's "done when" journey, in a browser: an officer records, validates and
assesses an application, advertises a void pitch, closes it and reads the explained shortlist;
a team leader approves the officer's override. Every page is scanned against WCAG 2.2 AA."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services
from allocations.models import Assessment
from residents import services as residents_services
from residents.models import Household, Person
from sites.models import Unit
from tests.allocations.factories import ActiveApplicationFactory, HouseholdWithPeopleFactory
from tests.browser.conftest import assert_accessible, date_fill, sign_in, sign_out, success_banner
from tests.browser.test_keyboard import assert_every_control_is_reachable_by_tab
from tests.factories import HomeFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROADSIDE = "Roadside or with no authorised place to stay"
OVERRIDE_REASON = "Roadside with a newborn and a child with a heart condition"


def _heading(page: Page, name: str | re.Pattern):
    return page.get_by_role("heading", level=1, name=name)


def _error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def _summary_value(page: Page, key: str):
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def _household_of_a_couple_and_a_child(by) -> Household:
    """Three people: a couple, linked as partners, and a girl of 8."""
    household = HouseholdWithPeopleFactory(people=3)
    lead = household.people.get(relationship=Person.Relationship.LEAD)
    partner = household.people.get(relationship=Person.Relationship.PARTNER)
    residents_services.person_update(
        person=partner, by=by, reason="Recorded as a couple", partner=lead
    )
    return household


def _void_pitch() -> Unit:
    return UnitFactory(
        status=Unit.Status.VOID,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
    )


def _void_home() -> Unit:
    return HomeFactory(
        status=Unit.Status.VOID,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
        accessibility="c",
    )


# --- The officer's part ----------------------------------------------------------------------


def _officer_records_an_application(page: Page, household) -> str:
    page.goto(household.get_absolute_url())
    expect(_heading(page, household.reference)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record an application").click()
    expect(
        _heading(page, f"Record an application for household {household.reference}")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Scheme").get_by_label("Gypsy and Traveller pitches").check()
    page.get_by_role("group", name="Type of application").get_by_label("New applicant").check()
    date_fill(page, "Registration date", date(2023, 5, 17))
    page.get_by_label(
        "The household consents to enquiries of the police and other councils"
    ).check()
    # A registration date before today is evidenced, like any later change of it.
    page.get_by_label("If the registration date is before today: why").fill(
        "Received by post on that date"
    )
    page.locator("#id_backdate_evidence").set_input_files(
        files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 form"}]
    )
    page.get_by_role("button", name="Record application").click()

    success_banner(page, "was recorded as a draft.")
    expect(_heading(page, re.compile(r"^Application PITCH-\d{6}$"))).to_be_visible()
    expect(_summary_value(page, "Status")).to_have_text("Draft")
    expect(_summary_value(page, "Registration date")).to_have_text("17 May 2023")
    # The effective date says why it is what it is (here: it is the registration date).
    expect(_summary_value(page, "Effective date")).to_have_text(
        re.compile(r"^17 May 2023\s*Why: The registration date")
    )
    expect(_summary_value(page, "Consent to enquiries")).to_have_text("Yes")
    assert_accessible(page)
    return page.get_by_role("heading", level=1).inner_text().removeprefix("Application ")


def _officer_submits_and_validates(page: Page, reference: str) -> None:
    page.get_by_role("button", name="Submit for validation").click()
    success_banner(page, f"'s application {reference} was submitted for validation.")
    expect(_summary_value(page, "Status")).to_contain_text("Submitted, awaiting validation")
    assert_accessible(page)

    page.get_by_role("button", name="Validate").click()
    expect(_heading(page, f"Validate Application {reference}")).to_be_visible()
    assert_accessible(page)
    eligibility = page.get_by_role("group", name=re.compile(r"Is this met\?$"))
    exclusions = page.get_by_role("group", name=re.compile(r"Does this exclusion apply\?$"))
    expect(eligibility).to_have_count(4)
    expect(exclusions).to_have_count(3)
    for question in eligibility.all():
        question.get_by_label("Yes").check()
    for question in exclusions.all():
        question.get_by_label("No").check()
    page.get_by_role("button", name="Save validation").click()

    success_banner(page, f"'s application {reference} is valid and now active.")
    expect(_summary_value(page, "Status")).to_contain_text("Active")
    expect(
        page.get_by_text("Valid under Gypsy and Traveller Pitch Allocation Policy")
    ).to_be_visible()
    assert_accessible(page)


def _officer_assesses(page: Page, reference: str) -> None:
    page.get_by_role("button", name="Assess").click()
    expect(_heading(page, f"Assess Application {reference}")).to_be_visible()
    assert_accessible(page)

    # A mistake first: a criterion ticked with no evidence of it.
    page.get_by_label("Local connection", exact=True).select_option(label="Own parish")
    page.get_by_label(f"{ROADSIDE} (100 points)").check()
    with page.expect_response(re.compile(r"/assess/$")) as posted:
        page.get_by_role("button", name="Save assessment").click()
    assert posted.value.status == 400
    expect(page).to_have_title(re.compile(rf"^Error: Assess Application {reference}"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([f"Say what evidence shows: {ROADSIDE}"])
    assert_accessible(page)
    expect(page.get_by_label("Local connection", exact=True)).to_have_value("1")
    expect(page.get_by_label(f"{ROADSIDE} (100 points)")).to_be_checked()
    evidence = page.locator("#id_roadside__evidence")
    summary.get_by_role("link", name=f"Say what evidence shows: {ROADSIDE}").click()
    expect(evidence).to_be_focused()

    evidence.fill("Living on the verge of the A28 since March; visited 2 June")
    page.get_by_role("button", name="Save assessment").click()
    success_banner(page, f"'s application {reference} was assessed under")
    expect(_summary_value(page, "Priority")).to_have_text("100 points")
    expect(_summary_value(page, "Local connection")).to_have_text("Own parish")
    # A pitch application shows its pitch need (caravans, vehicles, size), not bedrooms.
    expect(_summary_value(page, "Pitch need")).to_contain_text("caravan")
    expect(page.get_by_text("Bedroom need")).to_have_count(0)
    assert_accessible(page)

    # The application says why it has this priority.
    priority = page.get_by_role("heading", level=3, name="Why this priority")
    expect(priority).to_be_visible()
    expect(priority.locator("xpath=following-sibling::ul[1]")).to_contain_text(
        f"{ROADSIDE}: 100 points"
    )
    expect(page.get_by_text("Living on the verge of the A28 since March")).to_be_visible()


def _officer_creates_a_vacancy(page: Page, unit: Unit) -> str:
    page.goto(unit.get_absolute_url())
    expect(_heading(page, unit.reference)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Advertise this void").click()
    expect(_heading(page, f"Advertise {unit}")).to_be_visible()
    assert_accessible(page)
    expect(
        page.get_by_role("group", name="Scheme").get_by_label("Gypsy and Traveller pitches")
    ).to_be_checked()

    # A mistake first: closing before it opens.
    today = timezone.localdate()
    advert = "A pitch with an amenity block and room for two caravans, near the school."
    page.get_by_label("Advert text").fill(advert)
    date_fill(page, "Opening date", today)
    date_fill(page, "Closing date", today - timedelta(days=1))
    page.get_by_label("Smallest household").fill("2")
    with page.expect_response(re.compile(r"/vacancies/new/\d+/$")) as posted:
        page.get_by_role("button", name="Save vacancy").click()
    assert posted.value.status == 400
    expect(page).to_have_title(re.compile(r"^Error: Advertise"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["The closing date must be on or after the opening date"]
    )
    assert_accessible(page)
    expect(page.get_by_label("Advert text")).to_have_value(advert)
    expect(page.get_by_label("Smallest household")).to_have_value("2")
    opening = page.get_by_role("group", name="Opening date")
    expect(opening.get_by_label("Day")).to_have_value(str(today.day))
    closing = page.get_by_role("group", name="Closing date")
    yesterday = today - timedelta(days=1)
    expect(closing.get_by_label("Day")).to_have_value(str(yesterday.day))
    summary.get_by_role("link").click()
    expect(closing.get_by_label("Day")).to_be_focused()

    date_fill(page, "Closing date", today + timedelta(days=14))
    page.get_by_role("button", name="Save vacancy").click()
    success_banner(page, "was created as a draft.")
    expect(_heading(page, re.compile(rf"^V-\d{{6}}: {unit}$"))).to_be_visible()
    expect(_summary_value(page, "Status")).to_have_text("Draft")
    expect(_summary_value(page, "Who is eligible")).to_have_text(
        re.compile(r"Households of 2 or more people\s+Active")
    )
    assert_accessible(page)
    return page.get_by_role("heading", level=1).inner_text().split(":")[0]


def _officer_advertises_and_adds_applicants(page: Page, vacancy: str, references: list[str]):
    page.get_by_role("button", name="Advertise").click()
    success_banner(page, f"{vacancy} is advertised.")
    expect(_summary_value(page, "Status")).to_have_text("Advertised")
    assert_accessible(page)

    for reference in references:
        page.get_by_role("button", name="Place a bid for a household").click()
        expect(page.get_by_label("Household's name or reference")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Household's name or reference").fill(reference)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_text("Households found")).to_be_visible()
        assert_accessible(page)
        # The button names the household's lead person, then the application.
        page.get_by_role(
            "button", name=re.compile(rf"^Place the bid for \S.+, {re.escape(reference)}$")
        ).click()
        success_banner(page, f"'s bid for {vacancy} is placed.")  # the household's name
        assert_accessible(page)
    expect(page.get_by_role("heading", level=2, name=f"Bids ({len(references)})")).to_be_visible()


def _officer_closes_and_reads_the_shortlist(page: Page, vacancy: str, first: str, second: str):
    page.get_by_role("button", name="Close and freeze the shortlist").click()
    expect(_heading(page, f"Close {vacancy} and freeze its shortlist?")).to_be_visible()
    assert_accessible(page)
    # Its advertised closing date is two weeks away: closing now needs a reason.
    page.get_by_label("Why are you closing it before the advertised closing date?").fill(
        "Every household on the register has expressed interest"
    )
    page.get_by_role("button", name="Close early and freeze").click()

    success_banner(page, f"{vacancy} is closed and its shortlist frozen.")
    expect(_summary_value(page, "Status")).to_have_text("Closed, shortlist frozen")
    expect(_summary_value(page, "Shortlist frozen")).to_contain_text(
        "ranked under Gypsy and Traveller Pitch Allocation Policy, version 1"
    )
    assert_accessible(page)
    rows = page.get_by_role("table", name="Ranked shortlist").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("cell").nth(0)).to_have_text("1")
    expect(rows.nth(0).get_by_role("cell").nth(1)).to_contain_text(first)
    expect(rows.nth(0).get_by_role("cell").nth(2)).to_contain_text("Highest priority: 100 points")
    expect(rows.nth(1).get_by_role("cell").nth(0)).to_have_text("2")
    expect(rows.nth(1).get_by_role("cell").nth(1)).to_contain_text(second)
    expect(rows.nth(1).get_by_role("cell").nth(2)).to_have_text(
        f"Application {first} is above Application {second} because it has more points "
        "(100 against 20)."
    )

    page.get_by_role("link", name="Replay the shortlist").click()
    expect(_heading(page, f"Replay of the {vacancy} shortlist")).to_be_visible()
    expect(page.get_by_role("heading", name="Same order as frozen")).to_be_visible()
    expect(page.get_by_text("Later corrections to the applications would not")).to_be_visible()
    lines = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(lines.nth(0).get_by_role("cell")).to_have_text([f"Application {first}", "1", "1", "1"])
    expect(lines.nth(1).get_by_role("cell")).to_have_text([f"Application {second}", "2", "2", "2"])
    assert_accessible(page)


def _officer_asks_for_an_override(page: Page, vacancy: str, reference: str) -> Assessment:
    page.get_by_role("link", name=f"Back to {vacancy}").click()
    expect(_heading(page, re.compile(rf"^{vacancy}:"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table", name="Ranked shortlist").get_by_role(
        "link", name=reference, exact=True
    ).click()
    expect(_heading(page, f"Application {reference}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ask for an override").click()
    expect(_heading(page, "Ask for an override")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Points it should have").fill("150")
    page.get_by_label("Why the policy's result is not right for this household").fill(
        OVERRIDE_REASON
    )
    page.get_by_role("button", name="Ask a team leader to approve").click()

    success_banner(page, "The override is waiting for a team leader's decision.")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"Override awaiting a team leader: 150 points — {OVERRIDE_REASON}"
    )
    expect(_summary_value(page, "Priority")).to_have_text("100 points")
    # Officers ask; only a team leader, and never the one who asked, decides.
    expect(page.get_by_role("button", name="Decide the override")).to_have_count(0)
    assert_accessible(page)
    assessment = Assessment.objects.get(application__reference=reference, is_current=True)
    response = page.goto(f"/allocations/assessments/{assessment.pk}/override/decide/")
    assert response.status == 403
    expect(_heading(page, "You do not have permission to view this page")).to_be_visible()
    assert_accessible(page)
    return assessment


def _team_leader_approves_the_override(page: Page, reference: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Applications").click()
    expect(_heading(page, "Applications")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Application reference").fill(reference)
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_role("table", name="Applications").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    assert_accessible(page)
    rows.get_by_role("link", name=reference, exact=True).click()
    expect(_heading(page, f"Application {reference}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Decide the override").click()
    expect(_heading(page, "Decide an override")).to_be_visible()
    expect(
        page.get_by_text(f"Requested: 150 points. Reason given: {OVERRIDE_REASON}")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Decision").get_by_label("Approve the override").check()
    page.get_by_label("Reasons for the decision").fill("Agreed: the medical evidence is strong")
    page.get_by_role("button", name="Record decision").click()

    expect(_summary_value(page, "Priority")).to_have_text("150 points")
    inset = page.locator(".govuk-inset-text")
    expect(inset).to_contain_text(f"Override approved: 150 points — {OVERRIDE_REASON}")
    expect(inset).to_contain_text("Decision: Agreed: the medical evidence is strong")
    expect(page.get_by_role("button", name="Decide the override")).to_have_count(0)
    assert_accessible(page)
    banner = page.get_by_role("alert").filter(has_text="Success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text("Override approved.")


def test_two_applications_reach_an_explained_shortlist_and_a_team_leader_approves_an_override(
    page, officer, team_leader
):
    household = _household_of_a_couple_and_a_child(by=officer)
    unit = _void_pitch()
    # The second applicant, already assessed: fewer points, so ranked below the first.
    second = ActiveApplicationFactory(points=20, household=HouseholdWithPeopleFactory())

    sign_in(page, officer)
    first = _officer_records_an_application(page, household)
    _officer_submits_and_validates(page, first)
    _officer_assesses(page, first)
    vacancy = _officer_creates_a_vacancy(page, unit)
    _officer_advertises_and_adds_applicants(page, vacancy, [second.reference, first])
    _officer_closes_and_reads_the_shortlist(page, vacancy, first, second.reference)
    _officer_asks_for_an_override(page, vacancy, first)
    sign_out(page)

    sign_in(page, team_leader)
    _team_leader_approves_the_override(page, first)


def test_a_team_leader_cannot_decide_an_override_they_asked_for(page, team_leader):
    application = ActiveApplicationFactory()
    services.application_assess(application=application, criteria=[], by=team_leader)
    sign_in(page, team_leader)
    page.goto(application.get_absolute_url())
    expect(_heading(page, f"Application {application.reference}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ask for an override").click()
    expect(_heading(page, "Ask for an override")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Points it should have").fill("40")
    page.get_by_label("Why the policy's result is not right for this household").fill(
        "Family support nearby was not counted"
    )
    page.get_by_role("button", name="Ask a team leader to approve").click()
    success_banner(page, "The override is waiting for a team leader's decision.")
    assert_accessible(page)

    page.get_by_role("button", name="Decide the override").click()
    expect(_heading(page, "Decide an override")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Decision").get_by_label("Approve the override").check()
    page.get_by_label("Reasons for the decision").fill("Looks right to me")
    with page.expect_response(re.compile(r"/override/decide/$")) as posted:
        page.get_by_role("button", name="Record decision").click()
    assert posted.value.status == 400
    expect(page).to_have_title(re.compile(r"^Error: Decide an override"))
    summary = _error_summary(page)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("You asked for this override, so someone else must decide it.")
    assert_accessible(page)
    expect(
        page.get_by_role("group", name="Decision").get_by_label("Approve the override")
    ).to_be_checked()
    expect(page.get_by_label("Reasons for the decision")).to_have_value("Looks right to me")

    page.get_by_role("link", name="Back", exact=True).click()
    expect(_summary_value(page, "Priority")).to_have_text("0 points")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Override awaiting a team leader")
    assert_accessible(page)


def test_a_search_for_an_unknown_household_says_so_and_keeps_the_search(page, officer):
    vacancy = services.vacancy_create(
        unit=_void_pitch(),
        scheme="pitch",
        by=officer,
        advert_text="A pitch near the school.",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    services.vacancy_advertise(vacancy=vacancy, by=officer)
    sign_in(page, officer)
    page.goto(vacancy.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Place a bid for a household").click()
    expect(page.get_by_label("Household's name or reference")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Household's name or reference").fill("PITCH-999999")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No active household matches that search.")).to_be_visible()
    expect(page.get_by_label("Household's name or reference")).to_have_value("PITCH-999999")
    assert_accessible(page)


def test_every_control_on_the_allocation_pages_can_be_reached_with_tab(page, officer):
    application = ActiveApplicationFactory(points=20)
    services.application_assess(
        application=application,
        criteria=[{"code": "roadside", "evidence": "Seen on the verge"}],
        by=officer,
    )
    vacancy = services.vacancy_create(
        unit=_void_pitch(),
        scheme="pitch",
        by=officer,
        advert_text="A pitch near the school.",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    services.vacancy_advertise(vacancy=vacancy, by=officer)
    sign_in(page, officer)
    for path in [
        "/allocations/applications/",
        application.get_absolute_url(),
        f"/allocations/applications/{application.pk}/assess/",
        "/allocations/vacancies/",
        vacancy.get_absolute_url(),
        f"/allocations/vacancies/new/{_void_pitch().pk}/",
        # A home's asks about the home too (type, rent and charges, access categories).
        f"/allocations/vacancies/new/{_void_home().pk}/",
    ]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)
