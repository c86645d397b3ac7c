"""Issue 12's journeys in a browser: an officer closes a vacancy before its advertised closing
date (warned plainly, a reason required), and a licence is signed only once the 28 days after
the written statement have passed or the household's written consent to less is recorded
(Mobile Homes Act 1983 s.1). Every page is scanned against WCAG 2.2 AA."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allocations import services as allocations_services
from config.kernel.dates import page_date
from config.kernel.documents import document_render
from residents import services as residents_services
from residents.models import Licence, Person
from tests.allocations.factories import ActiveApplicationFactory
from tests.browser.conftest import assert_accessible, date_fill, sign_in, success_banner
from tests.factories import PersonFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _void_pitch(reference: str):
    return UnitFactory(
        reference=reference, status="void", void_date=date(2026, 1, 5), void_reason="death"
    )


@pytest.fixture
def officer():
    return UserFactory(
        username="letting-officer", roles=["officer"], first_name="Olive", last_name="Officer"
    )


def _summary_value(page: Page, key: str):
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def test_an_officer_closes_a_vacancy_early_only_with_a_reason(page: Page, officer):
    today = timezone.localdate()
    vacancy = allocations_services.vacancy_create(
        unit=_void_pitch("Pitch 12"),
        scheme="pitch",
        advert_text="Pitch 12 with an amenity block",
        opens_on=today - timedelta(days=4),
        closes_on=today + timedelta(days=10),
        by=officer,
    )
    allocations_services.vacancy_advertise(vacancy=vacancy, by=officer)
    allocations_services.bid_place(
        vacancy=vacancy, application=ActiveApplicationFactory(points=30), by=officer
    )
    sign_in(page, officer)
    page.goto(vacancy.unit.get_absolute_url())
    assert_accessible(page)
    expect(_summary_value(page, "Letting")).to_have_text("Void, advertised")
    page.get_by_role("link", name=f"Next step: go to vacancy {vacancy.reference}").click()
    assert_accessible(page)

    page.get_by_role("button", name="Close and freeze the shortlist").click()
    assert_accessible(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "10 days before its advertised closing date"
    )
    page.get_by_role("button", name="Close early and freeze").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the vacancy is closing before its closing date"
    )
    assert_accessible(page)
    page.get_by_label("Why are you closing it before the advertised closing date?").fill(
        "The only eligible household has a child due to start school"
    )
    page.get_by_role("button", name="Close early and freeze").click()
    success_banner(page, f"{vacancy.reference} is closed and its shortlist frozen.")
    expect(_summary_value(page, "Closed early")).to_contain_text(
        "The only eligible household has a child due to start school"
    )
    assert_accessible(page)


def test_a_licence_is_signed_only_after_28_days_or_with_recorded_consent(page: Page, officer):
    witness = UserFactory(username="witness", roles=["officer"], first_name="Wes", last_name="W")
    lead = PersonFactory(
        first_name="Nell", last_name="Price", relationship=Person.Relationship.LEAD
    )
    licence = residents_services.licence_draft_create(
        household=lead.household,
        unit=_void_pitch("Pitch 14"),
        start_date=timezone.localdate(),
        by=officer,
    )
    for document in residents_services.licence_documents_request(licence=licence, by=officer):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    today = timezone.localdate()
    sign_in(page, officer)
    page.goto(licence.get_absolute_url())
    assert_accessible(page)

    page.get_by_role("button", name="Record the written statement as given").click()
    assert_accessible(page)
    date_fill(page, "Date the written statement was given", today)
    page.get_by_role("button", name="Record statement as given").click()
    success_banner(page, "written statement was recorded as given")
    first = today + timedelta(days=28)
    expect(_summary_value(page, "Can be signed from")).to_contain_text(page_date(first))
    assert_accessible(page)

    # Today is too soon: the statement must be given at least 28 days before signing.
    page.get_by_role("button", name="Record the licence as signed").click()
    assert_accessible(page)
    page.get_by_label("Witnessing officer").select_option(label=witness.get_full_name())
    date_fill(page, "Date signed", today)
    page.get_by_label("Every licence holder has signed the agreement").check()
    page.get_by_role("button", name="Record licence as signed").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "at least 28 days before the licence is signed"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    assert_accessible(page)

    # The household consents in writing to a shorter period: recorded with a scan.
    page.get_by_role("button", name="Record written consent to less than 28 days").click()
    assert_accessible(page)
    date_fill(page, "Date the licence holder consented in writing", today)
    page.get_by_label(re.compile("Scan of the signed consent")).set_input_files(
        files=[{"name": "consent.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_role("button", name="Record consent").click()
    success_banner(page, "The written consent was recorded.")
    expect(_summary_value(page, "Can be signed from")).to_contain_text(page_date(today))
    assert_accessible(page)

    page.get_by_role("button", name="Record the licence as signed").click()
    assert_accessible(page)
    page.get_by_label("Witnessing officer").select_option(label=witness.get_full_name())
    date_fill(page, "Date signed", today)
    page.get_by_label("Every licence holder has signed the agreement").check()
    page.get_by_role("button", name="Record licence as signed").click()
    success_banner(page, "is signed and live")
    assert_accessible(page)
    licence.refresh_from_db()
    assert licence.status == Licence.Status.LIVE
