"""The words people read (letters, work-item titles, page texts, record names): dates
written the GOV.UK way ("5 December 2026", never 05/12/2026), households named by their
lead's name rather than by bare references."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from allocations import documents, services
from allocations.models import (
    Application,
    CaseConference,
    ExtraCarePanel,
    Renewal,
    ResaleStep,
    Scheme,
)
from allocations.privacy.models import RetentionBatch
from allocations.rules.defaults import DEFAULT_CBL_POLICY
from config.kernel.documents import document_render
from projects.models import WorkItem
from tests.allocations.cbl import advert, cycle_opening, uk
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_records_are_named_with_dates_in_words_not_numbers():
    # These names are what pages, histories, choices and work items show.
    assert str(ExtraCarePanel(held_on=TODAY)) == "Extra Care panel on 5 December 2026"
    assert str(CaseConference(held_on=TODAY)) == "Case conference on 5 December 2026"
    assert str(ResaleStep(kind="valuation", on=TODAY)).endswith("on 5 December 2026")
    assert str(RetentionBatch(pk=7, found_on=TODAY)) == "Retention batch 7 found 5 December 2026"
    renewal = Renewal(application=ApplicationFactory(reference="A-000042"), due_on=TODAY)
    assert str(renewal).endswith("A-000042 due 5 December 2026")


def test_the_extra_care_panel_form_lists_referrals_with_the_date_in_words(client, officer):
    with time_machine.travel(TODAY, tick=False):
        services.extracare_referral_make(
            application=ActiveApplicationFactory(),
            referred_by="J. Patel, Adult Social Care",
            referred_on=date(2026, 11, 3),
            care_hours_per_week=Decimal("10"),
            needs_summary="Help with meals",
            by=officer,
        )
        client.force_login(officer)
        page = client.get(reverse("allocations:extracare-panel-create")).content.decode()
    assert "referred 3 November 2026" in page
    assert "03/11/2026" not in page


def _refused(officer):
    application = ApplicationFactory(scheme=Scheme.CBL, status=Application.Status.SUBMITTED)
    policy = services.policy_in_force(scheme=Scheme.CBL, on=timezone.localdate())
    answers = {item.code: {"met": True} for item in policy.policy.eligibility}
    answers |= {item.code: {"met": False} for item in policy.policy.exclusions}
    answers |= {rule["code"]: {"met": True} for rule in DEFAULT_CBL_POLICY["qualification"]}
    answers["area_connection"] = {"met": False, "note": "No connection"}
    services.application_validate(application=application, answers=answers, by=officer)
    return application.registration_refusals.get()


def test_the_review_request_page_gives_the_end_of_the_review_period_in_words(client, officer):
    with time_machine.travel(TODAY, tick=False):
        refusal = _refused(officer)
        client.force_login(officer)
        url = reverse("allocations:registration-review-request", args=[refusal.pk])
        page = client.get(url).content.decode()
    assert f"The review period ends on {refusal.review_by.day} January 2027." in page
    assert refusal.review_by.strftime("%d/%m/%Y") not in page


def test_a_letter_to_hand_over_is_in_the_queue_and_on_its_page_under_the_households_name(
    client, officer
):
    household = HouseholdWithPeopleFactory(preferred_contact="in_person")
    application = ActiveApplicationFactory(household=household)
    context = documents.letter_context(
        application,
        reasons=[],
        policy=services.policy_for(application),
        extra={"renew_by": "1 March 2027"},
    )
    letter = services.letter_request(
        application=application, kind="renewal_reminder", context=context, by=officer
    )
    document_render(model="allocations.Letter", pk=letter.pk)
    services.letter_send(letter_id=letter.pk, by=officer)
    item = WorkItem.objects.get(kind="letter_hand_over")
    lead = household.people.get(relationship="lead")
    assert f"{lead.first_name} {lead.last_name} ({household.reference})" in item.title
    assert application.reference in item.title
    client.force_login(officer)
    page = client.get(reverse("allocations:letter-handed-over", args=[letter.pk])).content
    assert f"To {lead.first_name} {lead.last_name} ({household.reference})" in page.decode()


def test_the_newsletter_names_its_week_in_words_not_by_its_iso_dated_reference(
    officer, monkeypatch
):
    drawn: list[str] = []

    def pdf_render(template, context):
        drawn.append(render_to_string(template, context))
        return b"%PDF-1.4 newsletter"

    monkeypatch.setattr(documents, "pdf_render", pdf_render)
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = cycle_opening(date(2027, 3, 25), officer)
        advert(cycle, officer, area="Hythe")
        services.newsletter_recipient_add(
            name="Hythe Library",
            kind="library",
            email="lib@example.org",
            edition="standard",
            by=officer,
        )
        for newsletter in services.newsletter_publish(cycle=cycle, by=officer):
            document_render(model="allocations.CycleNewsletter", pk=newsletter.pk)
        services.newsletters_email_due(by=officer)
    (email,) = mail.outbox
    assert email.subject == "Homes to bid for: the week opening 25 March 2027"
    standard = next(html for html in drawn if "<h1>Homes to bid for:" in html)
    assert "<h1>Homes to bid for: the week opening 25 March 2027</h1>" in standard
    assert "2027-03-25" not in email.subject + standard


def test_the_send_again_page_names_the_household_the_letter_is_for(client, officer):
    household = HouseholdWithPeopleFactory(email="", address_line_1="4 Mill Lane")
    application = ActiveApplicationFactory(household=household)
    context = documents.letter_context(
        application,
        reasons=[],
        policy=services.policy_for(application),
        extra={"renew_by": "1 March 2027"},
    )
    letter = services.letter_request(
        application=application, kind="renewal_reminder", context=context, by=officer
    )
    services.letter_send_failed(letter_id=letter.pk, failure="Returned to sender", by=officer)
    client.force_login(officer)
    page = client.get(reverse("allocations:letter-send-again", args=[letter.pk])).content
    lead = household.people.get(relationship="lead")
    expected = f"To {lead.first_name} {lead.last_name} ({household.reference}), application"
    assert expected in page.decode()
