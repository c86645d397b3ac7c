"""The new-resident visit checklist, business support's notification, breaches passed to the
sites manager, and the site handbook printed and issued."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.kernel.documents import document_render
from projects import services as project_services
from projects.models import Reminder, WorkItem
from residents import selectors, services
from residents.models import Breach, HandbookEdition
from tests.factories import PNG, UserFactory
from tests.residents.helpers import signed, vacant_pitch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo():
    upload = SimpleUploadedFile("meter.png", PNG)
    upload.detected_content_type = "image/png"
    return upload


def _handbook(site, by):
    services.handbook_section_create(
        heading="Welcome", body="Welcome to your new home.", by=by, topic="general"
    )
    services.handbook_section_create(
        site=site, heading="Refuse days", body="Bins go out on Tuesdays.", topic="refuse", by=by
    )
    edition = services.handbook_edition_request(site=site, by=by)
    document_render(model="residents.HandbookEdition", pk=edition.pk)
    return edition


def test_the_checklist_lists_what_is_outstanding_for_the_pitch(officer):
    licence = signed(officer, unit=vacant_pitch(has_water_meter=True, has_gas_meter=False))
    outstanding = selectors.visit_outstanding(licence.visit)
    assert "Take the electricity meter reading" in outstanding
    assert "Take the water meter reading" in outstanding
    assert not any("gas" in item for item in outstanding)  # the pitch has no gas
    assert "Ask business support to open the resident's account" in outstanding


def test_a_meter_the_pitch_does_not_have_is_refused(officer):
    visit = signed(officer).visit
    with pytest.raises(ValidationError) as refused:
        services.meter_reading_record(
            visit=visit,
            meter="gas",
            serial="G1",
            reading=Decimal("1"),
            read_on=timezone.localdate(),
            photo=_photo(),
            by=officer,
        )
    assert "meter" in refused.value.message_dict


def test_business_support_is_emailed_once_and_the_time_recorded(
    officer, business_support, django_capture_on_commit_callbacks
):
    visit = signed(officer).visit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.visit_business_support_notify(visit=visit, by=officer)
    assert len(callbacks) == 1  # the email is sent by a worker once this commits
    assert services.business_support_notification_send(visit_id=visit.pk) == "sent"
    assert services.business_support_notification_send(visit_id=visit.pk) == "already sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [business_support.email]
    assert visit.licence.reference in mail.outbox[0].subject
    visit.refresh_from_db()
    assert visit.business_support_notified_at is not None
    with pytest.raises(ValidationError, match="already been told"):
        services.visit_business_support_notify(visit=visit, by=officer)


def test_the_business_support_address_setting_wins(officer, settings):
    settings.BUSINESS_SUPPORT_EMAIL = "accounts@northshire.example"
    visit = signed(officer).visit
    services.business_support_notification_send(visit_id=visit.pk)
    assert mail.outbox[0].to == ["accounts@northshire.example"]


def test_a_visit_completes_only_when_nothing_is_outstanding(officer, business_support):
    licence = signed(officer)
    visit = licence.visit
    with pytest.raises(ValidationError, match="Still to do"):
        services.visit_complete(visit=visit, by=officer)
    today = timezone.localdate()
    _handbook(licence.unit.site, officer)
    services.visit_handbook_issue(visit=visit, issued_on=today, by=officer)
    services.visit_dates_record(
        visit=visit,
        visited_on=today,
        policies_issued_on=today,
        pay_card_issued_on=today,
        by=officer,
    )
    services.meter_reading_record(
        visit=visit,
        meter="electricity",
        serial="E-1234",
        reading=Decimal("10512.4"),
        read_on=today,
        photo=_photo(),
        by=officer,
    )
    services.business_support_notification_send(visit_id=visit.pk)
    services.visit_complete(visit=visit, by=officer)
    visit.refresh_from_db()
    assert visit.completed_on == today
    assert WorkItem.objects.get(source_key=f"new_resident_visit:{visit.pk}").status == "done"
    assert licence.handbook_issues.get().edition.number == 1


def test_an_incomplete_visit_after_seven_days_reminds_the_officer(officer):
    visit = signed(officer).visit
    system = UserFactory()
    project_services.reminders_create(today=visit.due_on + timedelta(days=1), by=system)
    reminder = Reminder.objects.get(work_item__source_key=f"new_resident_visit:{visit.pk}")
    assert reminder.recipient == officer and reminder.what == Reminder.What.OVERDUE


def test_a_breach_reaches_the_sites_manager_by_queue_and_email(
    officer, sites_manager, django_capture_on_commit_callbacks, celery_eager
):
    licence = signed(officer)
    with django_capture_on_commit_callbacks(execute=True):
        breach = services.breach_raise(
            licence=licence,
            category=Breach.Category.CARAVANS,
            observed_on=timezone.localdate(),
            description="Three caravans on a two-caravan pitch",
            visit=licence.visit,
            by=officer,
        )
    item = WorkItem.objects.get(source_key=f"licence_breach:{breach.pk}")
    assert item.assigned_role.name == "sites_manager" and item.about == breach
    assert [m.to for m in mail.outbox] == [[sites_manager.email]]
    breach.refresh_from_db()
    assert breach.sites_manager_notified_at is not None
    assert services.breach_notification_send(breach_id=breach.pk) == "already sent"


def test_a_breach_follows_its_lifecycle(officer, sites_manager):
    breach = services.breach_raise(
        licence=signed(officer),
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Loud generator at night",
        by=officer,
    )
    services.breach_transition(breach=breach, to="investigating", by=sites_manager, reason="Visit")
    with pytest.raises(ValidationError) as refused:
        services.breach_transition(breach=breach, to="notice_served", by=sites_manager, reason="N")
    assert "remedy_due_on" in refused.value.message_dict
    due = timezone.localdate() + timedelta(days=14)
    services.breach_transition(
        breach=breach, to="notice_served", remedy_due_on=due, by=sites_manager, reason="Notice"
    )
    with pytest.raises(ValidationError, match="closed once it is remedied or escalated"):
        services.breach_transition(breach=breach, to="closed", by=sites_manager, reason="x")
    services.breach_transition(breach=breach, to="remedied", by=sites_manager, reason="Fixed")
    services.breach_transition(breach=breach, to="closed", by=sites_manager, reason="Done")
    assert WorkItem.objects.get(source_key=f"licence_breach:{breach.pk}").status == "done"
    assert [h.status for h in breach.history.order_by("history_date")][-1] == "closed"


def test_handbook_editions_are_numbered_and_frozen(officer, sites_manager):
    site = vacant_pitch().site
    first = _handbook(site, sites_manager)
    section = site.handbook_sections.get()
    services.handbook_section_update(
        section=section, body="Bins go out on Wednesdays.", by=sites_manager, reason="New day"
    )
    second = services.handbook_edition_request(site=site, by=sites_manager)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.status == HandbookEdition.Status.READY
    assert "Tuesdays" in str(first.context) and "Wednesdays" in str(second.context)
    assert first.file.open("rb").read(5) == b"%PDF-"
    assert document_render(model="residents.HandbookEdition", pk=first.pk) == "already ready"
    assert section.history.first().history_change_reason == "New day"


def test_a_handbook_cannot_be_issued_before_one_is_printed(officer):
    visit = signed(officer).visit
    with pytest.raises(ValidationError, match="no printed handbook"):
        services.visit_handbook_issue(visit=visit, issued_on=timezone.localdate(), by=officer)


def test_a_visit_dated_before_the_licence_was_signed_is_refused(officer):
    visit = signed(officer).visit  # signed today
    with pytest.raises(ValidationError) as refused:
        services.visit_dates_record(
            visit=visit, visited_on=timezone.localdate() - timedelta(days=1), by=officer
        )
    assert (
        "on or after the day the licence was signed" in refused.value.message_dict["visited_on"][0]
    )
    visit.refresh_from_db()
    assert visit.visited_on is None


def test_the_checklist_page_refuses_a_visit_before_the_signing_keeping_the_notes(client, officer):
    visit = signed(officer).visit
    client.force_login(officer)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("residents:visit-dates", args=[visit.pk]),
        {
            "visited_on_0": yesterday.day,
            "visited_on_1": yesterday.month,
            "visited_on_2": yesterday.year,
            "notes": "Met both licence holders.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "on or after the day the licence was signed" in page
    assert "Met both licence holders." in page


def test_the_same_meter_reading_sent_twice_is_recorded_once(officer):
    visit = signed(officer).visit
    reading = {
        "visit": visit,
        "meter": "electricity",
        "serial": "E-1234",
        "reading": Decimal("10512.4"),
        "read_on": timezone.localdate(),
        "by": officer,
    }
    services.meter_reading_record(**reading, photo=_photo())
    with pytest.raises(ValidationError, match="was already recorded by"):
        services.meter_reading_record(**reading, photo=_photo())
    assert visit.meter_readings.count() == 1
    # A different reading of the same meter (a correction) is still taken.
    services.meter_reading_record(**reading | {"reading": Decimal("10513")}, photo=_photo())
    assert visit.meter_readings.count() == 2


def test_the_handbook_issued_twice_is_recorded_once(officer):
    licence = signed(officer)
    _handbook(licence.unit.site, officer)
    today = timezone.localdate()
    services.visit_handbook_issue(visit=licence.visit, issued_on=today, by=officer)
    with pytest.raises(ValidationError, match="was already issued to this household"):
        services.visit_handbook_issue(visit=licence.visit, issued_on=today, by=officer)
    assert licence.handbook_issues.count() == 1


def test_the_handbook_page_sent_twice_says_it_was_already_issued(client, officer):
    licence = signed(officer)
    _handbook(licence.unit.site, officer)
    client.force_login(officer)
    today = timezone.localdate()
    posted = {"issued_on_0": today.day, "issued_on_1": today.month, "issued_on_2": today.year}
    url = reverse("residents:visit-handbook", args=[licence.visit.pk])
    assert client.post(url, posted).status_code == 302
    again = client.post(url, posted)
    assert again.status_code == 400
    assert "Handbook edition 1 was already issued to this household" in again.content.decode()
    assert licence.handbook_issues.count() == 1
