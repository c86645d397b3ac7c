import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application, EvidenceDocument, PolicyVersion, Vacancy
from sites.models import Unit
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    HouseholdWithPeopleFactory,
    VacancyFactory,
    pitch_policy,
)
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


# (The signed-in person's permissions come from the cache: config.accounts.permissions.)
FROZEN_PAGE_QUERIES = 5
APPLICATION_PAGE_QUERIES = 5


def _queries(client, url) -> int:
    client.get(url)  # the first request after sign-in writes the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_an_officer_records_an_application_for_a_household(client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    household = HouseholdWithPeopleFactory()
    client.force_login(officer)
    url = reverse("allocations:application-create", args=[household.pk])
    form = {
        "scheme": "pitch",
        "kind": "new",
        "consent_to_enquiries": "on",
        "registration_date_0": "3",
        "registration_date_1": "2",
        "registration_date_2": "2025",
    }
    # A registration date before today needs a reason and evidence, both asked at once.
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "enter why it is backdated" in page and "attach the evidence for it" in page
    assert not Application.objects.filter(household=household).exists()
    scan = SimpleUploadedFile("form.pdf", b"%PDF-1.4 form", content_type="application/pdf")
    response = client.post(
        url,
        {**form, "backdate_reason": "Paper form received then", "backdate_evidence": scan},
        follow=True,
    )
    application = Application.objects.get(household=household)
    assert application.evidence.get().description.endswith("Paper form received then")
    assert "Paper form received then" in application.history.earliest().history_change_reason
    assert application.reference.startswith("PITCH-")
    assert application.registration_date == application.effective_date == date(2025, 2, 3)
    assert "was recorded as a draft" in response.content.decode()


def test_a_future_registration_date_is_refused_and_what_was_typed_is_kept(client, officer):
    household = HouseholdWithPeopleFactory()
    client.force_login(officer)
    future = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("allocations:application-create", args=[household.pk]),
        {
            "scheme": "pitch",
            "kind": "transfer",
            "registration_date_0": future.day,
            "registration_date_1": future.month,
            "registration_date_2": future.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The registration date cannot be in the future" in page
    assert f'value="{future.year}"' in page
    assert re.search(r'value="transfer"\s+checked', page)


def test_the_validation_checklist_comes_from_the_policy(client, officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    client.force_login(officer)
    page = client.get(reverse("allocations:application-validate", args=[application.pk]))
    for item in pitch_policy().rules["eligibility"] + pitch_policy().rules["exclusions"]:
        assert item["label"] in page.content.decode()


@pytest.mark.parametrize("page", ["application-validate", "application-assess"])
def test_with_no_policy_in_force_yet_the_page_goes_back_to_the_application_saying_so(
    client, officer, page
):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    client.force_login(officer)
    # The default policies take effect on 1 April 2024: the day before, none is in force.
    with time_machine.travel(date(2024, 3, 31), tick=False):
        response = client.get(reverse(f"allocations:{page}", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "No gypsy and traveller pitches policy was in force on 31 March 2024."
    ]


def test_consent_answered_met_without_the_applications_consent_is_refused_keeping_answers(
    client, officer
):
    application = ApplicationFactory(
        status=Application.Status.SUBMITTED, consent_to_enquiries=False
    )
    form = {f"{item['code']}__met": "yes" for item in pitch_policy().rules["eligibility"]}
    form |= {f"{item['code']}__met": "no" for item in pitch_policy().rules["exclusions"]}
    form["consent_to_enquiries__note"] = "Said yes on the phone"
    client.force_login(officer)
    response = client.post(reverse("allocations:application-validate", args=[application.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "has not consented to enquiries" in page
    assert application.household.reference in page
    assert "Said yes on the phone" in page
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_dates_in_the_future_are_refused_each_on_its_field_keeping_what_was_typed(client, officer):
    application = ActiveApplicationFactory()
    future = date(2099, 3, 4)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-dates", args=[application.pk]),
        {
            "registration_date_0": future.day,
            "registration_date_1": future.month,
            "registration_date_2": future.year,
            "effective_date_0": future.day,
            "effective_date_1": future.month,
            "effective_date_2": future.year,
            "reason": "Typed the wrong year",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The registration date cannot be in the future" in page
    assert "The effective date cannot be in the future" in page
    assert 'value="2099"' in page and "Typed the wrong year" in page
    application.refresh_from_db()
    assert application.registration_date.year < 2099 and application.effective_date.year < 2099


def test_an_unanswered_checklist_names_each_missing_answer(client, officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("allocations:application-validate", args=[application.pk]), {})
    first = pitch_policy().rules["eligibility"][0]["label"]
    assert response.status_code == 400 and f"Answer: {first}" in response.content.decode()


def test_assessing_through_the_page_shows_why(client, officer):
    application = ActiveApplicationFactory()
    criterion = pitch_policy().rules["criteria"][0]
    client.force_login(officer)
    client.post(
        reverse("allocations:application-assess", args=[application.pk]),
        {
            f"{criterion['code']}__met": "on",
            f"{criterion['code']}__evidence": "Site eviction notice",
        },
    )
    page = client.get(application.get_absolute_url()).content.decode()
    assert criterion["label"] in page and "Why this priority" in page
    # A pitch application shows its pitch need (caravans, vehicles, size), not bedrooms.
    assert "Pitch need" in page and "Bedroom need" not in page


def test_a_ticked_criterion_without_evidence_is_an_error_on_that_field(client, officer):
    application = ActiveApplicationFactory()
    criterion = pitch_policy().rules["criteria"][0]
    client.force_login(officer)
    response = client.post(
        reverse("allocations:application-assess", args=[application.pk]),
        {f"{criterion['code']}__met": "on"},
    )
    assert response.status_code == 400
    assert f"Say what evidence shows: {criterion['label']}" in response.content.decode()


def test_evidence_must_really_be_a_pdf_or_image_and_is_served_only_to_permitted_roles(
    client, officer, business_support, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:evidence-upload", args=[application.pk])
    fake = SimpleUploadedFile("letter.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "medical", "description": "GP letter", "file": fake})
    assert "The file must be a PDF, JPEG or PNG" in response.content.decode()
    real = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
    client.post(url, {"kind": "medical", "description": "GP letter", "file": real})
    document = EvidenceDocument.objects.get()
    assert "letter" not in document.file.name  # stored under a random name
    download = reverse("allocations:evidence-download", args=[document.pk])
    assert b"".join(client.get(download).streaming_content).startswith(b"%PDF-1.4")
    client.force_login(business_support)
    assert client.get(download).status_code == 403


def test_an_officer_advertises_a_void_unit_and_freezes_the_shortlist(client, officer):
    unit = UnitFactory(status=Unit.Status.VOID, void_date=date(2026, 1, 5), void_reason="transfer")
    client.force_login(officer)
    today = timezone.localdate()
    closes = today + timedelta(days=14)
    client.post(
        reverse("allocations:vacancy-create", args=[unit.pk]),
        {
            "scheme": "pitch",
            "advert_text": "Pitch 4 with a new amenity block",
            "opens_on_0": today.day,
            "opens_on_1": today.month,
            "opens_on_2": today.year,
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
        },
    )
    vacancy = Vacancy.objects.get(unit=unit)
    client.post(reverse("allocations:vacancy-advertise", args=[vacancy.pk]))
    first, second = ActiveApplicationFactory(points=40), ActiveApplicationFactory(points=90)
    for application in (first, second):
        client.post(
            reverse("allocations:bid-create", args=[vacancy.pk]),
            {"application": application.pk, "channel": "phone"},
        )
    close_url = reverse("allocations:vacancy-freeze", args=[vacancy.pk])
    warning = client.get(close_url).content.decode()
    assert "14 days before its advertised closing date" in warning
    refused = client.post(close_url, {"reason": " "})
    assert refused.status_code == 400
    assert "Say why the vacancy is closing before its closing date" in refused.content.decode()
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.ADVERTISED
    client.post(close_url, {"reason": "Both households need a pitch this winter"})
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Closed early" in page and "Both households need a pitch this winter" in page
    assert page.index(second.reference) < page.index(first.reference)
    assert "more points" in page
    replay = client.get(reverse("allocations:shortlist-replay", args=[vacancy.pk])).content.decode()
    assert "Same order as frozen" in replay


def test_a_household_found_by_reference_and_an_unknown_one_reported(client, officer):
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    application = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:bid-create", args=[vacancy.pk])
    assert application.reference in client.get(url, {"q": application.reference}).content.decode()
    assert "No active household matches" in client.get(url, {"q": "NOPE-1"}).content.decode()
    response = client.post(url, {"application": 999999, "channel": "phone"})
    assert response.status_code == 400
    assert "That application no longer exists" in response.content.decode()


def test_an_administrator_publishes_a_new_policy_version_from_the_current_one(
    client, administrator
):
    base = pitch_policy()
    base_rules = dict(base.rules)
    latest = PolicyVersion.objects.filter(scheme=base.scheme).order_by("-version").first()
    effective_from = latest.effective_from + timedelta(days=1)
    changed_rules = {**base.rules, "tie_breakers": list(reversed(base.rules["tie_breakers"]))}
    client.force_login(administrator)
    url = reverse("allocations:policy-publish", args=[base.pk])
    response = client.post(
        url,
        {
            "name": "Pitch policy 2",
            "rules": json.dumps(changed_rules),
            "summary_of_changes": "Tie-breakers reversed",
            "effective_from_0": str(effective_from.day),
            "effective_from_1": str(effective_from.month),
            "effective_from_2": str(effective_from.year),
        },
    )
    published = PolicyVersion.objects.get(scheme=base.scheme, version=latest.version + 1)
    assert response.status_code == 302 and response.url == published.get_absolute_url()
    assert (published.name, published.effective_from, published.rules) == (
        "Pitch policy 2",
        effective_from,
        changed_rules,
    )
    assert published.summary_of_changes == "Tie-breakers reversed"
    assert published.published_by == administrator
    assert services.policy_in_force(scheme=base.scheme, on=effective_from) == published
    # Earlier versions stay exactly as they were.
    base.refresh_from_db()
    assert base.rules == base_rules and base.version < published.version
    (row,) = published.history.all()
    assert (row.history_type, row.history_user) == ("+", administrator)
    assert f"{published} was published." in client.get(response.url).content.decode()


def test_a_policy_version_with_rules_that_are_not_json_is_refused_and_nothing_published(
    client, administrator
):
    base = pitch_policy()
    before = PolicyVersion.objects.count()
    client.force_login(administrator)
    url = reverse("allocations:policy-publish", args=[base.pk])
    assert "&quot;tie_breakers&quot;" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": base.name,
            "rules": "{not json",
            "summary_of_changes": "x",
            "effective_from_0": "1",
            "effective_from_1": "1",
            "effective_from_2": "2030",
        },
    )
    assert response.status_code == 400
    assert "The rules are not valid JSON" in response.content.decode()
    assert PolicyVersion.objects.count() == before


def test_application_list_makes_the_same_number_of_queries_for_1_or_50(client, officer):
    client.force_login(officer)
    ApplicationFactory()
    url = reverse("allocations:application-list")
    one = _queries(client, url)
    ApplicationFactory.create_batch(49)
    assert _queries(client, url) == one


def test_frozen_shortlist_page_makes_the_same_number_of_queries_for_1_or_50(client, officer):
    client.force_login(officer)

    def frozen(count):
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
        for application in ActiveApplicationFactory.create_batch(count):
            services.bid_place(vacancy=vacancy, application=application, by=officer)
        services.shortlist_freeze(vacancy=vacancy, by=officer)
        return vacancy.get_absolute_url()

    # The vacancy, its shortlist and the signed-in person's: no bids (a frozen vacancy shows
    # its shortlist), no household per line, and nothing for the photos, lets and offers it
    # has none of.
    assert _queries(client, frozen(1)) == _queries(client, frozen(50)) == FROZEN_PAGE_QUERIES


def test_application_page_makes_the_same_number_of_queries_however_many_people(client, officer):
    client.force_login(officer)
    small = ActiveApplicationFactory(household=HouseholdWithPeopleFactory(people=1))
    large = ActiveApplicationFactory(household=HouseholdWithPeopleFactory(people=9))
    # The application with its household and its people (one query), the view it records,
    # and the signed-in person's: nothing for the kinds of casework it has none of.
    assert (
        _queries(client, small.get_absolute_url())
        == _queries(client, large.get_absolute_url())
        == APPLICATION_PAGE_QUERIES
    )


def test_a_households_applications_are_listed_by_its_opaque_id(client, officer):
    mine = ApplicationFactory()
    other = ApplicationFactory()
    client.force_login(officer)
    page = client.get(
        reverse("allocations:application-list"), {"household": mine.household_id}
    ).content.decode()
    assert mine.reference in page and other.reference not in page
    household_page = client.get(mine.household.get_absolute_url()).content.decode()
    assert f"?household={mine.household_id}" in household_page


@pytest.mark.parametrize("household", ["²", "¹²", "abc", "-1"])
def test_a_household_id_that_is_no_plain_number_lists_every_application(client, officer, household):
    application = ApplicationFactory()
    client.force_login(officer)
    response = client.get(reverse("allocations:application-list"), {"household": household})
    assert response.status_code == 200
    assert application.reference in response.content.decode()


def test_applications_are_found_by_a_household_members_name_and_show_it(client, officer):
    from tests.factories import PersonFactory

    lead = PersonFactory(first_name="Bridget", last_name="Doherty", relationship="lead")
    wanted = ActiveApplicationFactory(household=lead.household)
    other = ActiveApplicationFactory()
    client.force_login(officer)
    url = reverse("allocations:application-list")
    response = client.post(url, {"name": "doherty"})
    assert response.status_code == 302 and "doherty" not in response["Location"].lower()
    page = client.get(response["Location"]).content.decode()
    assert wanted.reference in page and other.reference not in page
    assert "Bridget Doherty" in page
    detail = client.get(wanted.get_absolute_url()).content.decode()
    assert "Bridget Doherty" in detail


def test_an_application_with_several_problems_is_told_them_all_at_once(client, officer):
    household = HouseholdWithPeopleFactory()
    ApplicationFactory(household=household, scheme="pitch", status=Application.Status.DRAFT)
    client.force_login(officer)
    future = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("allocations:application-create", args=[household.pk]),
        {
            "scheme": "pitch",
            "kind": "new",
            "registration_date_0": future.day,
            "registration_date_1": future.month,
            "registration_date_2": future.year,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The registration date cannot be in the future" in page
    assert "already has an open application for this scheme" in page
    assert household.applications.count() == 1


def test_the_status_page_of_a_submitted_application_offers_only_withdrawing_it(client, officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    client.force_login(officer)
    url = reverse("allocations:application-status", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'value="withdrawn"' in page
    assert 'value="active"' not in page and 'value="invalid"' not in page
    response = client.post(url, {"to": "active", "reason": "Looks fine to me"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
