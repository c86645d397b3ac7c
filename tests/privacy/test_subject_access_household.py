"""A record about the whole household (an application's access assessment, a need change for
an expected child) may hold another member's special-category data: a member's export marks
those fields withheld for review unless the household is the person alone, and the showing is
logged for every member whose data the export gives."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from allocations.models import BedroomNeedChange
from allocations.privacy.export import MAY_CONCERN_ANOTHER
from allocations.services import evidence_attach
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory
from tests.privacy.archives import archive_csv, exported

pytestmark = pytest.mark.django_db
ACCESS = "access assessment (who assessed, when, findings)"


def _household_with_health_data(**lead):
    subject = PersonFactory(relationship="lead", first_name="Sam", **lead)
    application = ActiveApplicationFactory(
        household=subject.household, access_assessment="Pat: MS, needs a wheelchair"
    )
    BedroomNeedChange.objects.create(
        application=application,
        change_on=date(2027, 3, 1),
        need_before=1,
        need_after=2,
        reasons=["Pat is expecting a baby"],
        expected_child=True,
    )
    return subject


def test_another_members_health_and_pregnancy_are_marked_withheld_for_review(officer):
    subject = _household_with_health_data()
    PersonFactory(household=subject.household, relationship="partner", first_name="Pat")

    archive = exported(subject, officer)

    given = b"".join(archive.read(name) for name in archive.namelist())
    assert b"wheelchair" not in given and b"expecting a baby" not in given
    (application,) = archive_csv(archive, "records/application.csv")
    assert application[ACCESS] == MAY_CONCERN_ANOTHER
    (change,) = archive_csv(archive, "records/bedroomneedchange.csv")
    assert change["about an expected child"] == MAY_CONCERN_ANOTHER
    history = archive_csv(archive, "history/application.csv")
    assert {row[ACCESS] for row in history} == {MAY_CONCERN_ANOTHER}
    withheld = [row for row in archive_csv(archive, "withheld.csv") if "review" in row["why"]]
    assert {row["what"].split(":")[0] for row in withheld} >= {
        "Applications",
        "Bedroom need changes",
    }
    # Nothing of the partner's was shown: the showing is the subject's alone, and names no
    # field it marked.
    shown = SpecialCategoryView.objects.get()
    assert shown.person == subject
    assert "application:access_assessment" not in shown.fields


def test_a_household_of_one_is_given_its_special_category_data_and_the_showing_logged(officer):
    subject = _household_with_health_data()

    archive = exported(subject, officer)

    (application,) = archive_csv(archive, "records/application.csv")
    assert application[ACCESS] == "Pat: MS, needs a wheelchair"
    shown = SpecialCategoryView.objects.get()
    assert shown.person == subject and "application:access_assessment" in shown.fields


def test_another_members_medical_letter_is_withheld_for_review_and_an_identity_document_given(
    officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    subject = _household_with_health_data()
    PersonFactory(household=subject.household, relationship="partner", first_name="Pat")
    application = subject.household.applications.get()
    for kind, name, body in (
        ("medical", "gp-letter.pdf", b"%PDF-1.4 Pat: multiple sclerosis"),
        ("identity", "passport.pdf", b"%PDF-1.4 Sam's passport"),
    ):
        evidence_attach(
            application=application,
            kind=kind,
            description="Seen at the office",
            upload=SimpleUploadedFile(name, body),
            by=officer,
        )

    archive = exported(subject, officer)

    files = [name for name in archive.namelist() if name.startswith("files/")]
    assert [archive.read(name) for name in files] == [b"%PDF-1.4 Sam's passport"]
    given = b"".join(archive.read(name) for name in archive.namelist())
    assert b"multiple sclerosis" not in given
    (row,) = [r for r in archive_csv(archive, "withheld.csv") if r["what"].endswith("their files")]
    assert row["how many"] == "1" and "review" in row["why"]
