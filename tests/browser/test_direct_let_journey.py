"""A direct let in a browser: an officer proposes letting a home outside the cycle (told what
is missing, keeping what was typed); a team leader finds it in the queue and approves it with a
reason; the officer is then offered the offer, and closes the let when it will not go ahead.
Every page is scanned."""

import pytest
from playwright.sync_api import Page, expect

from allocations.models import DirectLet
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.browser.conftest import assert_accessible, sign_in, sign_out, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_proposes_a_direct_let_and_a_team_leader_approves_it(
    page: Page, officer, team_leader
):
    vacancy = VacancyFactory()
    application = ActiveApplicationFactory()
    sign_in(page, officer)
    page.goto("/allocations/direct-lets/")
    expect(page.get_by_role("heading", level=1, name="Direct lets")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Propose a direct let").click()
    assert_accessible(page)
    page.get_by_label("Vacancy reference").fill(vacancy.reference)
    page.get_by_label("Application reference").fill(application.reference)
    page.get_by_label("Why this household and this home").fill("Decant: block to be demolished")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Choose the policy's reason")).to_be_visible()
    expect(page.get_by_label("Vacancy reference")).to_have_value(vacancy.reference)
    assert_accessible(page)
    page.get_by_label("Decant (the home is to be repaired, redeveloped or demolished)").check()
    page.get_by_role("button", name="Continue").click()
    # The household's name, to check the reference is the household meant.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        household_name(application.household)
    )
    assert_accessible(page)
    page.get_by_role("button", name="Send to a team leader").click()
    direct_let = DirectLet.objects.get()
    success_banner(page, f"Direct let {direct_let.reference} was sent to the team leaders")
    expect(page.get_by_text("another team leader must decide it")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, team_leader)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Approve or decline direct let {direct_let.reference}").click()
    assert_accessible(page)
    page.get_by_label("Approve: the home may be offered").check()
    page.get_by_label("Your reason").fill("Decant agreed under the regeneration scheme")
    page.get_by_role("button", name="Record the decision").click()
    success_banner(page, f"Direct let {direct_let.reference} was approved")
    expect(page.get_by_text("Decant agreed under the regeneration scheme")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, officer)
    page.goto(direct_let.get_absolute_url())
    expect(page.get_by_role("button", name="Make the offer")).to_be_visible()
    assert_accessible(page)
    page.goto(direct_let.get_history_url())
    assert_accessible(page)

    # The let will not go ahead: the officer closes it, told first what is missing.
    page.goto(direct_let.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Close the direct let").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the direct let").click()
    expect(
        page.get_by_role("link", name="Enter why the direct let is being closed")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why is the direct let being closed?").fill("Housed by a provider instead")
    page.get_by_role("button", name="Close the direct let").click()
    success_banner(page, f"Direct let {direct_let.reference} was closed.")
    assert_accessible(page)
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.CLOSED
