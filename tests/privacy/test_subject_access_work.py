"""The subject access export gives the work held about the person's records (a work item
about their application, its notes, attached files and reminders), and withholds the work
about another member's own records, as it withholds those records."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services as work
from projects.models import Reminder
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory
from tests.privacy.archives import archive_csv, exported

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the GP's letter"


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

    archive = exported(person, officer)

    items = archive_csv(archive, "records/workitem.csv")
    assert [row["notes"] for row in items if row["title"] == "Call the applicant back"] == [
        "She said she is being threatened by her ex-partner"
    ]
    assert "history/workitem.csv" in archive.namelist()
    assert [row["description"] for row in archive_csv(archive, "records/taskattachment.csv")] == [
        "GP letter"
    ]
    files = [name for name in archive.namelist() if name.startswith("files/taskattachment-")]
    assert files == [f"files/taskattachment-{attachment.pk}-{attachment.file.name.split('/')[-1]}"]
    assert archive.read(files[0]) == PDF
    assert [row["reminder"] for row in archive_csv(archive, "records/reminder.csv")] == ["Overdue"]


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

    archive = exported(person, officer)

    given = b"".join(archive.read(name) for name in archive.namelist())
    assert b"About the partner alone" not in given
    withheld = {row["what"]: row["how many"] for row in archive_csv(archive, "withheld.csv")}
    assert withheld["Tasks about these records"] == "1"
