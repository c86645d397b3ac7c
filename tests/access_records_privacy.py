"""Records for the access matrix's privacy pages (tests/access_records.py): a subject access
request and a retention batch waiting for confirmation."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.utils import timezone

from allocations.models import Purchaser
from allocations.privacy.models import RetentionBatch, SubjectAccessRequest
from allocations.privacy.services import retention_batch_create, subject_access_record
from residents.models import Person


def privacy_records_make(recorder) -> None:
    """A request from the first person; a batch of what will be due seven years on."""
    # The recorder holds no role; a request goes to someone who may answer it.
    recorder.user_permissions.add(Permission.objects.get(codename="change_subjectaccessrequest"))
    recorder = type(recorder).objects.get(pk=recorder.pk)  # its permissions afresh
    subject_access_record(
        person=Person.objects.order_by("pk").first(),
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=recorder,
        by=recorder,
    )
    retention_batch_create(today=timezone.localdate() + relativedelta(years=7), by=recorder)


def privacy_kwargs(name: str) -> dict:
    if name == "privacy:sar-create-purchaser":
        return {name: [Purchaser.objects.order_by("pk").first().pk]}
    if name.startswith("privacy:sar-") and not name.endswith(("-list", "-create")):
        return {name: [SubjectAccessRequest.objects.order_by("pk").first().pk]}
    if name == "privacy:sar-create":
        return {name: [Person.objects.order_by("pk").first().pk]}
    if name.startswith("privacy:batch-") and not name.endswith("-list"):
        return {name: [RetentionBatch.objects.order_by("pk").first().pk]}
    return {}
