"""The subject access export gives the work held about the person's records (a work item
about their application, its notes, attached files and reminders), and withholds the work
about another member's own records, as it withholds those records."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations.privacy.services import subject_access_export, subject_access_record
from projects import services as work
from projects.models import Reminder
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the GP's letter"


def _export(person, officer) -> zipfile.ZipFile:
    request = subject_access_record(
        person=person,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )
    return zipfile.ZipFile(io.BytesIO(subject_access_export(request=request, by=officer)))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_work_about_the_application_is_given_with_its_notes_attachments_and_reminders(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(relationship="lead")
    application = ActiveApplicationFactory(household=person.household)
    item = work.work_item_create(
        kind="general",
        title="Call the applicant back",
        due=date(2027, 1, 1),
        by=officer,
        about=application,
        assignee=officer,
        notes="She said she is being threatened by her ex-partner",
    )
    attachment = work.attachment_add(
        item=item,
        description="GP letter",
        by=officer,
        upload=SimpleUploadedFile("gp-letter.pdf", PDF),
    )
    Reminder.objects.create(
        work_item=item, what=Reminder.What.OVERDUE, recipient=officer, due_on=item.due_on
    )

    archive = _export(person, officer)

    items = _csv(archive, "records/workitem.csv")
    assert [row["notes"] for row in items if row["title"] == "Call the applicant back"] == [
        "She said she is being threatened by her ex-partner"
    ]
    assert "history/workitem.csv" in archive.namelist()
    assert [row["description"] for row in _csv(archive, "records/taskattachment.csv")] == [
        "GP letter"
    ]
    files = [name for name in archive.namelist() if name.startswith("files/taskattachment-")]
    assert files == [f"files/taskattachment-{attachment.pk}-{attachment.file.name.split('/')[-1]}"]
    assert archive.read(files[0]) == PDF
    assert [row["reminder"] for row in _csv(archive, "records/reminder.csv")] == ["Overdue"]


def test_work_about_another_members_own_record_is_withheld(officer):
    person = PersonFactory(relationship="lead")
    partner = PersonFactory(household=person.household, relationship="partner")
    work.work_item_create(
        kind="general",
        title="Check the partner's identity",
        due=date(2027, 1, 1),
        by=officer,
        about=partner,
        assignee=officer,
        notes="About the partner alone",
    )

    archive = _export(person, officer)

    given = b"".join(archive.read(name) for name in archive.namelist())
    assert b"About the partner alone" not in given
    withheld = {row["what"]: row["how many"] for row in _csv(archive, "withheld.csv")}
    assert withheld["Tasks about these records"] == "1"
