"""Subject access requests: recorded with their one-month deadline, in the officer's queue
until answered, and an export of everything held on the person."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations.models import Application, DueDiligenceCheck
from allocations.privacy.export import sections_for
from allocations.privacy.models import SubjectAccessRequest
from allocations.privacy.services import (
    subject_access_answer,
    subject_access_deadline,
    subject_access_exemption_add,
    subject_access_export,
    subject_access_record,
)
from projects.models import WorkItem
from residents.models import Person, SpecialCategoryView
from tests.access_records import access_records_make
from tests.factories import PersonFactory
from tests.privacy.archives import archive_csv

pytestmark = pytest.mark.django_db


def _record(person, officer, received_on=None):
    return subject_access_record(
        person=person,
        received_on=received_on or timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (date(2026, 9, 3), date(2026, 10, 3)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_deadline_is_one_calendar_month_after_receipt(received, deadline):
    assert subject_access_deadline(received) == deadline


def test_a_request_goes_in_the_officers_queue_until_it_is_answered(officer):
    person = PersonFactory()
    received = timezone.localdate() - timedelta(days=3)
    sar = _record(person, officer, received)
    item = WorkItem.objects.get(source_key=f"subject_access:{sar.pk}")
    assert (item.assignee, item.due_on, item.status) == (officer, sar.deadline, "open")
    assert sar.history.get().history_change_reason == "Subject access request received"
    with pytest.raises(ValidationError, match="Make the export"):
        subject_access_answer(request=sar, answered_on=timezone.localdate(), by=officer)
    subject_access_export(request=sar, by=officer)
    subject_access_answer(request=sar, answered_on=timezone.localdate(), by=officer)
    item.refresh_from_db()
    assert item.status == "done"
    assert SubjectAccessRequest.objects.get().status == "answered"


def test_a_request_cannot_be_answered_before_its_export_was_made(officer):
    today = timezone.localdate()
    sar = _record(PersonFactory(), officer, today - timedelta(days=40))
    subject_access_export(request=sar, by=officer)  # made today, after the deadline
    with pytest.raises(ValidationError, match="cannot be before the export was first made"):
        subject_access_answer(request=sar, answered_on=today - timedelta(days=10), by=officer)
    assert SubjectAccessRequest.objects.get().status == "open"
    subject_access_answer(request=sar, answered_on=today, by=officer)
    assert SubjectAccessRequest.objects.get().answered_on == today


def test_a_request_received_in_the_future_is_refused(officer):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _record(PersonFactory(), officer, timezone.localdate() + timedelta(days=1))


def test_a_request_cannot_be_given_to_someone_who_may_not_answer_it(officer, auditor):
    with pytest.raises(ValidationError, match="Choose an officer"):
        _record(PersonFactory(), auditor)


@pytest.fixture
def records(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return access_records_make()


def test_the_export_holds_every_kind_of_record_on_the_person_and_their_household(records, officer):
    person = Person.objects.order_by("pk").first()
    sar = _record(person, officer)
    sections = sections_for(person)  # as they are when the export is made
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(request=sar, by=officer)))
    names = set(archive.namelist())
    # Every record type the registry finds for the person is in the export, row for row.
    for section in sections:
        slug = section.holding.model.split(".")[1].lower()
        if section.rows:
            assert len(archive_csv(archive, f"records/{slug}.csv")) == len(section.rows), slug
    kinds = [
        "household",
        "person",
        "application",
        "assessment",
        "evidencedocument",
        "bid",
        "shortlistentry",
        "offer",
        "allocationdecision",
        "duediligencecheck",
        "interview",
        "letter",
        "renewal",
        "vulnerabilityinterview",
        "referral",
        "extracarereferral",
    ]
    for kind in kinds:
        assert f"records/{kind}.csv" in names, kind
        assert f"history/{kind}.csv" in names, kind
    assert {"cover-letter.html", "withheld.csv"} <= names
    # Documents and letters, as files.
    assert any(name.startswith("files/evidencedocument-") for name in names)
    assert any(name.startswith("files/letter-") for name in names)
    # Criminal-record answers are the subject's data: given.
    checks = archive_csv(archive, "records/duediligencecheck.csv")
    outcomes = {c.get_outcome_display() for c in DueDiligenceCheck.objects.exclude(outcome="")}
    assert outcomes and outcomes <= {row["outcome"] for row in checks}
    applications = archive_csv(archive, "records/application.csv")
    assert {row["application reference"] for row in applications} == set(
        Application.objects.filter(household=person.household).values_list("reference", flat=True)
    )
    history = archive_csv(archive, "history/application.csv")
    assert history and all(row["when"] and row["what happened"] for row in history)
    letter = archive.read("cover-letter.html").decode()
    assert str(person) in letter and "Application" in letter


def test_another_members_details_are_withheld_with_the_reason(officer):
    subject = PersonFactory(first_name="Ada", last_name="Lovell")
    PersonFactory(household=subject.household, first_name="Bartholomew", relationship="partner")
    sar = _record(subject, officer)
    subject_access_exemption_add(
        request=sar,
        item="Police intelligence note of 3 March",
        reason="Crime and taxation: DPA 2018 Sch. 2 para 2",
        by=officer,
    )
    content = subject_access_export(request=sar, by=officer)
    archive = zipfile.ZipFile(io.BytesIO(content))
    people = archive_csv(archive, "records/person.csv")
    assert [row["first name"] for row in people] == ["Ada"]
    assert b"Bartholomew" not in b"".join(archive.read(name) for name in archive.namelist())
    withheld = archive_csv(archive, "withheld.csv")
    assert any(row["how many"] == "1" and "third-party" in row["why"] for row in withheld)
    assert any(row["what"] == "Police intelligence note of 3 March" for row in withheld)
    assert "Police intelligence note of 3 March" in archive.read("cover-letter.html").decode()
    person_section = next(s for s in sections_for(subject) if s.holding.model == "residents.Person")
    assert person_section.withheld == 1


def test_an_officer_records_a_request_and_downloads_the_export(client, officer):
    person = PersonFactory()
    client.force_login(officer)
    url = reverse("privacy:sar-create", args=[person.pk])
    refused = client.post(url, {"how_received": "Email of today", "officer": officer.pk})
    assert refused.status_code == 400
    assert "Enter the date received" in refused.text
    assert "Email of today" in refused.text  # what was typed is kept
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
            "how_received": "Email of today",
            "officer": officer.pk,
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response.url == sar.get_absolute_url()
    page = client.get(sar.get_absolute_url())
    assert str(person) in page.text and "Make the export" in page.text
    export_url = reverse("privacy:sar-export", args=[sar.pk])
    assert client.post(export_url, {}).status_code == 400
    download = client.post(export_url, {"checked": "on"})
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "cover-letter.html" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    sar.refresh_from_db()
    assert sar.exported_at is not None
    # Every special-category field was shown to the officer in the export: logged.
    shown = person.special_category_views.get()
    assert (shown.user, shown.where) == (officer, "subject access export")


def test_the_household_page_offers_a_request_for_each_person(client, officer):
    person = PersonFactory()
    client.force_login(officer)
    page = client.get(person.household.get_absolute_url())
    assert reverse("privacy:sar-create", args=[person.pk]) in page.text


def test_the_exports_showing_is_logged_naming_every_record_type_it_holds(records, officer):
    # It named the person's fields and "check outcome" only: the export holds far more.
    person = Person.objects.order_by("pk").first()
    sar = _record(person, officer)
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(request=sar, by=officer)))
    held = {
        name.removeprefix("records/").removesuffix(".csv")
        for name in archive.namelist()
        if name.startswith("records/")
    }
    shown = person.special_category_views.get(where="subject access export")
    assert held and held <= set(shown.fields)
    # With each special-category field of those types: the criminal-record answers, the
    # social care assessment, the person's own.
    assert {
        "duediligencecheck:outcome",
        "extracarereferral:needs_summary",
        *(f"person:{name}" for name in Person.SPECIAL_CATEGORY_FIELDS),
    } <= set(shown.fields)
    longest = SpecialCategoryView._meta.get_field("fields").base_field.max_length
    assert all(len(name) <= longest for name in shown.fields)


def test_people_found_in_the_census_are_withheld_as_third_parties(officer):
    from census.models import CensusDifference, NewPerson
    from tests.census.factories import started_round

    census_return = started_round(by=officer, pitches=1).returns.get()
    found = NewPerson.objects.create(
        census_return=census_return, name="Johnny Stranger", approximate_age=30
    )
    CensusDifference.objects.create(
        census_return=census_return,
        kind=CensusDifference.Kind.NEW_OCCUPANT,
        new_person=found,
        description="New person living on the pitch: Johnny Stranger",
    )
    subject = Person.objects.filter(household=census_return.licence.household).first()

    archive = zipfile.ZipFile(
        io.BytesIO(subject_access_export(request=_record(subject, officer), by=officer))
    )

    assert b"Stranger" not in b"".join(archive.read(name) for name in archive.namelist())
    assert "records/censusreturn.csv" in archive.namelist()
    withheld = {row["what"]: row for row in archive_csv(archive, "withheld.csv")}
    assert withheld["New people found in the census"]["how many"] == "1"
    assert "third-party" in withheld["New people found in the census"]["why"]
    assert withheld["Census differences"]["how many"] == "1"


def test_the_cover_letter_is_signed_by_the_officers_name_or_the_team_never_a_blank_line(
    settings, tmp_path
):
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    named = UserFactory(roles=["officer"], first_name="Jo", last_name="Hart")
    nameless = UserFactory(username="jhart2", roles=["officer"], first_name="", last_name="")
    letters = {}
    for officer in (named, nameless):
        sar = _record(PersonFactory(), officer)
        archive = zipfile.ZipFile(io.BytesIO(subject_access_export(request=sar, by=officer)))
        letter = archive.read("cover-letter.html").decode()
        letters[officer] = " ".join(letter.split("Yours sincerely,", 1)[1].split())
    assert letters[named].startswith("</p> <p>Jo Hart<br>Allocations and sites</p>")
    assert letters[nameless].startswith("</p> <p>Allocations and sites</p>")
    assert "jhart2" not in letters[nameless]
