"""Local lettings plans in a browser: an officer finds the plans from the bidding cycles, is
told what is missing when a plan has no criterion (keeping what was typed), adds it, and
changes it on its own page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_adds_and_changes_a_local_lettings_plan(page: Page, officer):
    sign_in(page, officer)
    page.goto("/allocations/cycles/")
    assert_accessible(page)
    page.get_by_role("link", name="Local lettings plans").click()
    expect(page.get_by_role("heading", level=1, name="Local lettings plans")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Hawkinge village")
    page.get_by_label("Parish or area").fill("Hawkinge")
    page.get_by_role("button", name="Add the plan").click()
    expect(page).to_have_title(re.compile(r"^Error: Local lettings plans"))
    expect(page.get_by_label("Name", exact=True)).to_have_value("Hawkinge village")
    assert_accessible(page)
    page.get_by_role("group", name="Local connection to the advert's parish").get_by_label(
        "Required to bid"
    ).check()
    page.get_by_role("button", name="Add the plan").click()
    success_banner(page, "The Hawkinge village local lettings plan was added.")
    assert_accessible(page)
    page.get_by_role("link", name="Change the Hawkinge village plan").click()
    assert_accessible(page)
    page.get_by_role("group", name="Someone in the household in work or volunteering").get_by_label(
        "Ranks first at the close"
    ).check()
    page.get_by_role("button", name="Save the plan").click()
    success_banner(page, "The Hawkinge village local lettings plan was saved.")
    expect(
        page.get_by_text(
            "Ranks first at the close: someone in the household in work or volunteering"
        )
    ).to_be_visible()
    assert_accessible(page)


def test_a_team_leader_approves_a_drafted_plan_with_its_dates(page: Page, officer, team_leader):
    from allocations import services

    services.lettings_plan_save(
        name="Shorncliffe new homes",
        area="Cheriton",
        work_or_volunteering="priority",
        by=officer,
    )
    sign_in(page, team_leader)
    page.goto("/allocations/lettings-plans/")
    expect(page.get_by_text("Does not apply until a team leader approves it.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Approve the Shorncliffe new homes plan").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="Approve the Shorncliffe new homes local lettings plan"
        )
    ).to_be_visible()
    assert_accessible(page)
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2027")
    end = page.get_by_role("group", name="End date")
    end.get_by_label("Day").fill("1")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2027")
    page.get_by_label("Why the plan is approved").fill("Agreed with the housing association")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Why the plan is approved")).to_have_value(
        "Agreed with the housing association"
    )
    assert_accessible(page)
    end.get_by_label("Year").fill("2028")
    page.get_by_role("button", name="Approve the plan").click()
    success_banner(
        page, "The Shorncliffe new homes local lettings plan was approved from 1 April 2027."
    )
    expect(page.get_by_text("From 1 April 2027 to 1 March 2028")).to_be_visible()
    assert_accessible(page)
