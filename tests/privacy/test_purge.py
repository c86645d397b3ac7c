"""Retention and purge: the nightly batch, the team leader's confirmation, and a purge that
leaves nothing of the person in any table or file — through the one path history allows."""

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocation_services
from allocations.models import Application
from allocations.privacy.models import PurgeRegisterEntry, RetentionBatch
from allocations.privacy.purge import households_purge, purge_rows, references_redact
from allocations.privacy.services import (
    retention_batch_cancel,
    retention_batch_confirm,
    retention_batch_create,
)
from allocations.privacy.tasks import retention_batch_nightly
from config import changelog
from projects.models import WorkItem
from projects.services import work_item_create
from residents.models import Household, Person
from tests.allocations.factories import ApplicationFactory
from tests.factories import HouseholdFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db

NAME = "Quixotic"
REFERENCE = "H-ZEBEDEE-1"


@pytest.fixture
def closed_household(settings, tmp_path, officer):
    """A household whose only application was withdrawn, with evidence, a letter, a call,
    a records-viewed entry, a special-category showing and work about it."""
    settings.MEDIA_ROOT = tmp_path
    household = HouseholdFactory(reference=REFERENCE, address_line_1="1 Quixotic Row")
    lead = PersonFactory(household=household, first_name="Zebedee", last_name=NAME)
    PersonFactory(household=household, first_name="Ziggy", last_name=NAME, relationship="child")
    application = ApplicationFactory(household=household, reference="ZQ-0001")
    allocation_services.evidence_attach(
        application=application,
        kind="identity",
        description=f"Passport of Zebedee {NAME}",
        upload=SimpleUploadedFile("quixotic-passport.pdf", b"%PDF-1.4 passport"),
        by=officer,
    )
    allocation_services.contact_record(
        household=household,
        application=application,
        channel="phone",
        direction="in",
        occurred_at=timezone.now(),
        summary=f"Mr {NAME} rang about his application",
        by=officer,
    )
    changelog.record_viewed(user=officer, record=household)
    changelog.record_viewed(user=officer, record=application)
    work_item_create(
        kind="need_check",
        title=f"Check the {NAME} household's circumstances",
        due=timezone.localdate(),
        about=application,
        assignee=officer,
        by=officer,
    )
    application.status = Application.Status.WITHDRAWN
    application.status_reason = f"{NAME} family moved away"
    application._history_user = officer
    application.save()
    return household, lead


def _later(years=3):
    return timezone.localdate() + relativedelta(years=years)


def _text_columns_holding(*needles: str) -> list[str]:
    """Every table and text column in the database where any needle appears."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'jsonb', 'json')"
        )
        for table, column in cursor.fetchall():
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column} holds {needle!r}")
    return hits


def _files(root) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def test_nothing_of_a_purged_household_remains_in_any_table_or_file(
    closed_household, team_leader, tmp_path, django_capture_on_commit_callbacks
):
    household, lead = closed_household
    assert _text_columns_holding(NAME, REFERENCE)  # the search finds them before the purge
    # Every file in this test's media folder is the household's (kept under random names).
    assert _files(tmp_path)
    batch = retention_batch_create(today=_later(), by=team_leader)
    assert [item.record_id for item in batch.items.all()] == [household.pk]
    with django_capture_on_commit_callbacks(execute=True):  # the files go once it commits
        outcome = retention_batch_confirm(
            batch=batch, reason="Schedule reached", by=team_leader, today=_later()
        )
    assert outcome.purged == 1
    assert not Household.objects.filter(pk=household.pk).exists()
    assert not Person.history.filter(id=lead.pk).exists()
    assert _text_columns_holding(NAME, REFERENCE, "ZQ-0001", "Zebedee") == []
    assert _files(tmp_path) == []
    (entry,) = PurgeRegisterEntry.objects.all()
    assert (entry.rule, entry.record_type, entry.count, entry.confirmed_by) == (
        "closed_applications",
        "residents.Household",
        1,
        team_leader,
    )
    assert entry.rows_deleted > 10 and entry.files_deleted >= 1
    batch.refresh_from_db()
    assert batch.status == "purged" and not batch.items.exists()


def test_a_household_not_yet_due_or_still_applying_is_not_in_the_batch(
    closed_household, team_leader
):
    assert retention_batch_create(today=timezone.localdate(), by=team_leader) is None
    household, _ = closed_household
    ApplicationFactory(household=household, status=Application.Status.ACTIVE)
    assert retention_batch_create(today=_later(), by=team_leader) is None


def test_a_household_with_an_open_subject_access_request_is_not_due(
    closed_household, officer, team_leader
):
    from allocations.privacy.services import subject_access_record

    _, lead = closed_household
    subject_access_record(
        person=lead,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )
    assert retention_batch_create(today=_later(), by=team_leader) is None


def test_a_household_that_applies_again_before_confirmation_is_kept(closed_household, team_leader):
    household, _ = closed_household
    batch = retention_batch_create(today=_later(), by=team_leader)
    ApplicationFactory(household=household, status=Application.Status.SUBMITTED)
    outcome = retention_batch_confirm(batch=batch, reason="Due", by=team_leader, today=_later())
    assert (outcome.purged, outcome.no_longer_due) == (0, 1)
    assert Household.objects.filter(pk=household.pk).exists()


def test_the_nightly_task_makes_one_batch_in_the_team_leaders_queue(closed_household, settings):
    # A period of nought years: due the day after it closed.
    settings.RETENTION_SCHEDULE = {**settings.RETENTION_SCHEDULE, "closed_applications": 0}
    tomorrow = timezone.localdate() + timedelta(days=1)
    with _today(tomorrow):
        first = retention_batch_nightly()
        second = retention_batch_nightly()
    assert first == second
    batch = RetentionBatch.objects.get()
    assert batch.items.count() == 1
    item = WorkItem.objects.get(source_key=f"retention_batch:{batch.pk}")
    assert item.assigned_role.name == "team_leader" and NAME not in item.title


def _today(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def test_a_cancelled_batch_deletes_nothing_and_cannot_then_be_confirmed(
    closed_household, team_leader
):
    household, _ = closed_household
    batch = retention_batch_create(today=_later(), by=team_leader)
    with pytest.raises(ValidationError, match="reason"):
        retention_batch_cancel(batch=batch, reason=" ", by=team_leader)
    retention_batch_cancel(batch=batch, reason="Complaint open", by=team_leader)
    with pytest.raises(ValidationError, match="already been confirmed or cancelled"):
        retention_batch_confirm(batch=batch, reason="Due", by=team_leader, today=_later())
    assert Household.objects.filter(pk=household.pk).exists()
    assert not PurgeRegisterEntry.objects.exists()


# --- The history guard: one way through ----------------------------------------------------


def test_history_rows_still_cannot_be_changed_or_deleted_outside_the_purge():
    site = SiteFactory(name="Guarded")
    table = site.history.model._meta.db_table
    for statement in (
        f'DELETE FROM "{table}"',  # noqa: S608 - a model's table
        f"UPDATE \"{table}\" SET name = 'x'",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    # The purge's flag is its own: set by hand, an UPDATE is still refused, and the flag is
    # off again once purge_rows has returned, so a DELETE after it in the same transaction is.
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL app.purge = 'on'")
        cursor.execute(f"UPDATE \"{table}\" SET name = 'x'")  # noqa: S608 - a model's table
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        purge_rows(table, "id", [0])
        cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a model's table
    assert site.history.count() == 1


def test_the_purge_path_deletes_history_rows():
    site = SiteFactory(name="Purged")
    table = site.history.model._meta.db_table
    assert purge_rows(table, "id", [site.pk]) == 1
    assert site.history.count() == 0


def test_the_change_log_and_records_viewed_stay_append_only(officer):
    household = HouseholdFactory()
    changelog.record_viewed(user=officer, record=household)
    for table in ("config_changelogentry", "config_recordview"):
        with (
            pytest.raises(DatabaseError, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a constant


# --- The pages ----------------------------------------------------------------------------


def test_a_team_leader_reviews_and_confirms_a_batch(client, closed_household, team_leader):
    household, _ = closed_household
    batch = retention_batch_create(today=_later(), by=team_leader)
    client.force_login(team_leader)
    page = client.get(batch.get_absolute_url())
    assert REFERENCE in page.text and "Confirm and delete" in page.text
    confirm_url = reverse("privacy:batch-confirm", args=[batch.pk])
    assert "cannot be undone" in client.get(confirm_url).text
    refused = client.post(confirm_url, {"reason": ""})
    assert refused.status_code == 400 and "Enter the reason" in refused.text
    assert Household.objects.filter(pk=household.pk).exists()
    with _today(_later()):  # three years on: signed in again, the batch still due
        client.force_login(team_leader)
        done = client.post(confirm_url, {"reason": "Past the schedule"}, follow=True)
    assert "1 records purged" in done.text
    assert not Household.objects.filter(pk=household.pk).exists()


def test_the_register_shows_counts_and_no_names(client, closed_household, team_leader, auditor):
    batch = retention_batch_create(today=_later(), by=team_leader)
    retention_batch_confirm(batch=batch, reason="Due", by=team_leader, today=_later())
    client.force_login(auditor)
    page = client.get(reverse("privacy:purge-register"))
    assert NAME not in page.text
    # The rule and the record type in words, and the batch a link to what was decided.
    assert "Households whose applications all closed without a home" in page.text
    assert "closed_applications" not in page.text and "residents.Household" not in page.text
    assert f'href="{batch.get_absolute_url()}">Batch {batch.pk}</a>' in page.text


class _RollBack(Exception):
    """Undoes the purge before the test ends: the household is mid-letting (its accepted offer
    goes with it), which the letting constraints, checked at commit, rightly refuse. The
    retention rules never pick such a household (its application is active)."""


def test_purging_a_household_with_every_kind_of_record_leaves_nothing_of_them(settings, tmp_path):
    """The access matrix's records: one of every kind, the first household's applications
    assessed, bid, shortlisted, offered, decided, checked, visited, referred, conferenced,
    on an Extra Care panel whose pack names them."""
    from tests.access_records import access_records_make

    settings.MEDIA_ROOT = tmp_path
    access_records_make()
    person = Person.objects.order_by("pk").first()
    household = person.household
    needles = [f"{p.first_name} {p.last_name}" for p in household.people.all()]
    needles += [household.reference]
    needles += list(
        Application.objects.filter(household=household).values_list("reference", flat=True)
    )
    assert _text_columns_holding(*needles)
    try:
        with transaction.atomic():
            households_purge([household.pk])
            remaining = _text_columns_holding(*needles)
            gone = not Household.objects.filter(pk=household.pk).exists()
            raise _RollBack
    except _RollBack:
        pass
    assert remaining == []
    assert gone


def test_redaction_changes_only_the_reference_in_other_records_change_reasons(officer):
    site = SiteFactory(name="Redacted")
    site.name = "Redacted again"
    site._change_reason = "Offered to A-REF-9 (vacancy V-1)"
    site.save()
    references_redact(["A-REF-9"])
    latest = site.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Offered to [removed] (vacancy V-1)"
    assert latest.name == "Redacted again"
    table = site.history.model._meta.db_table
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL app.purge = 'redact'")
        cursor.execute(f"UPDATE \"{table}\" SET name = 'x'")  # noqa: S608 - a model's table
