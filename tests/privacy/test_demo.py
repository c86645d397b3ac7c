"""The demo's data protection story (README, "Subject access" and "Retention and purge"):
Rose Ward's request in the officer's queue, her export holding every kind of record, and the
Finch household's batch, whose purge leaves nothing of them in any table or file."""

import io
import zipfile

import pytest
from django.core.management import call_command

from allocations.models import Application
from allocations.privacy.demo import DEMO_PURGED_FAMILY, DEMO_SUBJECT
from allocations.privacy.models import PurgeRegisterEntry, RetentionBatch, SubjectAccessRequest
from allocations.privacy.services import retention_batch_confirm, subject_access_export
from projects.models import WorkItem
from residents.models import Household
from tests.privacy.test_purge import _text_columns_holding

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)


def test_the_demo_request_is_in_the_officers_queue_and_its_export_holds_every_kind(demo):
    sar = SubjectAccessRequest.objects.get()
    assert (sar.person.first_name, sar.person.last_name) == DEMO_SUBJECT
    item = WorkItem.objects.get(source_key=f"subject_access:{sar.pk}")
    assert item.assignee.username == "officer" and item.status == "open"
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(request=sar, by=sar.officer)))
    names = set(archive.namelist())
    for kind in ("household", "person", "application", "assessment", "contact", "renewal"):
        assert f"records/{kind}.csv" in names, kind
        assert f"history/{kind}.csv" in names, kind
    assert {"cover-letter.html", "withheld.csv"} <= names
    # Her own person record only: her partner's and children's are withheld (third party).
    people = archive.read("records/person.csv").decode("utf-8-sig").splitlines()
    assert len(people) == 2 and "Rose" in people[1]
    assert "member of the household" in archive.read("withheld.csv").decode("utf-8-sig")


def test_the_demo_batch_purges_the_finch_household_leaving_nothing(
    demo, django_capture_on_commit_callbacks
):
    batch = RetentionBatch.objects.get(status="waiting")
    (item,) = batch.items.all()
    household = Household.objects.get(pk=item.record_id)
    assert household.people.get().last_name == DEMO_PURGED_FAMILY
    reference = Application.objects.get(household=household).reference
    team_leader = WorkItem.objects.get(source_key=f"retention_batch:{batch.pk}").created_by
    with django_capture_on_commit_callbacks(execute=True):
        outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert outcome.purged == 1
    assert _text_columns_holding(DEMO_PURGED_FAMILY, household.reference, reference) == []
    assert PurgeRegisterEntry.objects.get().count == 1
