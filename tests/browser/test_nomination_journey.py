"""A registered provider's staff member in a browser (issue 14): signs in, finds the
nomination to their home, reads what the nomination discloses, accepts it and confirms the
let; every page they may reach is scanned with axe-core, and every other page refuses them.
The council's nomination, review and report pages are scanned too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations.models import Nomination
from allocations.services import nominations as services
from tests.allocations.nominations import provider, provider_home_shortlisted, provider_staff
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_providers_user_accepts_a_nomination_and_confirms_the_let(page: Page, officer):
    northshire = provider()
    vacancy, entries = provider_home_shortlisted(officer, northshire)
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    priya = provider_staff(northshire, first_name="Priya", last_name="Nair")
    lead = str(entries[0].application.household.people.get(relationship="lead"))

    sign_in(page, priya)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link")).to_have_text(["Home", "Your nominations"])
    page.get_by_role("link", name="Your nominations").click()
    assert_accessible(page)
    page.get_by_role("link", name=str(vacancy.unit)).click()
    expect(page.get_by_text(lead)).to_be_visible()
    expect(page.get_by_text(northshire.lawful_basis, exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send your answer").click()
    expect(
        page.get_by_text("Choose whether you accept or reject the nomination").first
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accept the nomination").check()
    page.get_by_role("button", name="Send your answer").click()
    success_banner(page, "Nomination accepted.")
    assert_accessible(page)

    start = timezone.localdate() + timedelta(days=14)
    date_fill(page, "Tenancy start date", start)
    page.get_by_label("Assured - lifetime").check()
    page.get_by_role("group", name="Is it a starter (introductory) tenancy?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Is it a joint tenancy?").get_by_label("No").check()
    page.get_by_role("button", name="Confirm the let").click()
    success_banner(page, "Let confirmed.")
    assert_accessible(page)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.LET
    assert nomination.tenancy_start_date == start
    assert (nomination.tenancy_type, nomination.starter_tenancy) == (2, True)

    # Least privilege: nothing else of the council's.
    for url in (
        "/sites/",
        "/households/",
        "/allocations/applications/",
        vacancy.get_absolute_url(),
        nomination.get_absolute_url(),
        "/allocations/providers/",
        entries[0].application.household.get_absolute_url(),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        assert_accessible(page)


def test_the_councils_nomination_pages_are_accessible(page: Page, officer):
    northshire = provider()
    vacancy, _ = provider_home_shortlisted(officer, northshire)
    staff = provider_staff(northshire)
    nomination = services.nomination_next(vacancy=vacancy, by=officer)
    services.nomination_reject(
        nomination=nomination,
        reason="affordability",
        detail="Rent too high",
        answered_by="Priya Nair",
        by=staff,
    )
    sign_in(page, officer)
    for url in (
        vacancy.get_absolute_url(),
        "/allocations/nominations/",
        nomination.get_absolute_url(),
        f"/allocations/nominations/{nomination.pk}/review/",
        f"/allocations/vacancies/{vacancy.pk}/readvertise/",
        "/allocations/providers/",
        f"/allocations/providers/{northshire.pk}/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/allocations/nominations/{nomination.pk}/review/")
    assert_accessible(page)
    page.get_by_label("Challenge the rejection", exact=False).check()
    page.get_by_label("Your note").fill("The household's income has risen since.")
    page.get_by_role("button", name="Record the review").click()
    success_banner(page, "The rejection is challenged")
    assert_accessible(page)
    # The secure link, as the provider's contact without an account opens it: the challenge's
    # fresh one; the first answer's is used.
    used = services.nomination_link_token(nomination)
    nomination.refresh_from_db()
    page.goto(f"/allocations/nomination-link/{services.nomination_link_token(nomination)}/")
    expect(page.get_by_role("heading", level=2, name="Your answer")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/allocations/nomination-link/{used}/")
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()
    assert_accessible(page)
    page.goto("/allocations/nomination-link/not-a-real-link/")
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    assert_accessible(page)
    # The provider lost the challenge's email: the officer sends the link again, with why.
    page.goto(nomination.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Send Northshire Homes's secure link again").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the link again").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why the link is sent again").fill("Their lettings team lost the email")
    page.get_by_role("button", name="Send the link again").click()
    success_banner(page, "A fresh secure link is being emailed to Northshire Homes")
    assert_accessible(page)
