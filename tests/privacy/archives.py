"""Building blocks for the subject access tests: a request recorded and exported for a
person, read back as a zip, and one of its CSV files as rows."""

import csv
import io
import zipfile

from django.utils import timezone

from allocations.privacy.services import subject_access_export, subject_access_record


def exported(person, officer) -> zipfile.ZipFile:
    """The zip of a request for `person` received today, exported by `officer`."""
    request = subject_access_record(
        person=person,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )
    return zipfile.ZipFile(io.BytesIO(subject_access_export(request=request, by=officer)))


def archive_csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
