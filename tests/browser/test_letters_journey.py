"""Letters in a browser: an administrator writes a new version of a letter's wording,
previews it with a demo household and saves it; business support prints a letter from the post
room and marks it posted. Every page is scanned with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from allocations import documents, services
from allocations.models import Letter, LetterWording
from config.kernel.documents import document_render
from tests.allocations.factories import ActiveApplicationFactory, HouseholdWithPeopleFactory
from tests.browser.conftest import assert_accessible, sign_in, success_banner
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_previews_then_saves_a_new_wording(page: Page):
    administrator = UserFactory(roles=["administrator"])
    sign_in(page, administrator)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Letter wording").click()
    assert_accessible(page)
    page.get_by_role("link", name="Offer (standard)").click()
    assert_accessible(page)
    page.get_by_role("button", name="Write a new version").click()
    assert_accessible(page)
    body = page.get_by_label("The letter's words")
    body.fill(body.input_value().replace("we are pleased to offer you", "we offer you"))
    page.get_by_label("Why the wording is changing").fill("Plainer words")
    page.get_by_role("button", name="Preview the letter").click()
    expect(
        page.get_by_role("heading", name="Preview for a demo household (Mary Demo)")
    ).to_be_visible()
    expect(page.locator("#preview")).to_contain_text("we offer you 2 Meadow Close")
    assert_accessible(page)
    page.get_by_role("button", name="Save this version").click()
    success_banner(page, re.compile(r"Version \d+ saved\."))
    assert_accessible(page)
    saved = LetterWording.objects.get(kind="offer", variant="standard", created_by=administrator)
    success_banner(page, f"Version {saved.version} saved.")
    assert "we offer you" in saved.body


def _letter_drawn(letter: Letter) -> None:
    """Draw the letter as the worker would. A Celery worker started by another test in this
    process may be drawing it already, into the test settings' media folder (per xdist
    process) that this test also uses: wait until it is ready, whoever draws it."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Letter.objects.filter(pk=letter.pk, status="requested").exists():
            document_render(model="allocations.Letter", pk=letter.pk)
        if Letter.objects.filter(pk=letter.pk, status="ready").exists():
            return
        time.sleep(0.3)
    raise AssertionError("The letter was not drawn within a minute")


def test_business_support_prints_and_posts_a_letter_from_the_post_room(page: Page):
    officer = UserFactory(roles=["officer"])
    support = UserFactory(roles=["business_support"])
    household = HouseholdWithPeopleFactory(
        address_line_1="4 Mill Lane", town="Ashford", postcode="TN23 4QP"
    )
    application = ActiveApplicationFactory(household=household)
    context = documents.letter_context(
        application,
        reasons=[],
        policy=services.policy_for(application),
        extra={"renew_by": "1 March"},
    )
    letter = services.letter_request(
        application=application, kind="renewal_reminder", context=context, by=officer
    )
    _letter_drawn(letter)
    services.letter_send(letter_id=letter.pk, by=officer)
    lead = context["lead_name"]

    sign_in(page, support)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Post room").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name=f"Print the letter (PDF) for {lead}")).to_be_visible()
    page.get_by_role(
        "button", name=re.compile(f"Mark posted.*Renewal reminder letter to {lead}")
    ).click()
    success_banner(
        page, f"Renewal reminder letter to {lead} ({application.reference}) marked posted."
    )
    assert_accessible(page)
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.POSTED and letter.posted_by == support


def test_an_officer_records_a_letter_handed_over_in_person(page: Page):
    officer = UserFactory(roles=["officer"])
    household = HouseholdWithPeopleFactory(preferred_contact="in_person")
    application = ActiveApplicationFactory(household=household)
    context = documents.letter_context(
        application,
        reasons=[],
        policy=services.policy_for(application),
        extra={"renew_by": "1 March"},
    )
    letter = services.letter_request(
        application=application, kind="renewal_reminder", context=context, by=officer
    )
    _letter_drawn(letter)
    services.letter_send(letter_id=letter.pk, by=officer)

    sign_in(page, officer)
    page.goto(application.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="record it as handed over").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("as handed over")
    assert_accessible(page)
    page.get_by_label("Note (optional)").fill("At the site office")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the name of the person it was handed to"
    )
    expect(page.get_by_label("Note (optional)")).to_have_value("At the site office")
    assert_accessible(page)
    page.get_by_label("Handed to").fill("Mary Smith")
    page.get_by_role("button", name="Record it").click()
    success_banner(page, "Recorded as handed over.")
    assert_accessible(page)
    letter.refresh_from_db()
    assert letter.delivery == Letter.Delivery.HANDED_OVER and letter.posted_by == officer
    assert letter.sent_to == "Handed to Mary Smith"
