"""Every read the privacy pages need."""

from __future__ import annotations

from itertools import groupby

from django.db.models import QuerySet

from allocations.privacy.export import Section, sections_of
from allocations.privacy.models import PurgeRegisterEntry, RetentionBatch, SubjectAccessRequest
from allocations.privacy.retention import RULE_BY_CODE


def subject_access_list(*, status: str = "") -> QuerySet[SubjectAccessRequest]:
    requests = SubjectAccessRequest.objects.select_related("person", "officer").order_by(
        "status", "deadline", "pk"
    )
    return requests.filter(status=status) if status else requests


def subject_access_detail(pk: int) -> SubjectAccessRequest:
    return (
        SubjectAccessRequest.objects.select_related("person__household", "officer")
        .prefetch_related("exemptions__recorded_by")
        .get(pk=pk)
    )


def subject_access_contents(request: SubjectAccessRequest) -> list[Section]:
    """What the export holds, record type by record type (counts for the page)."""
    return sections_of(request)


def batch_list() -> QuerySet[RetentionBatch]:
    return RetentionBatch.objects.select_related("decided_by").order_by("-found_on", "-pk")


def batch_groups(batch: RetentionBatch) -> list[dict]:
    """The batch's items, rule by rule, with the rule's words and period."""
    items = batch.items.order_by("rule", "due_since", "pk")
    groups = []
    for code, rule_items in groupby(items, key=lambda item: item.rule):
        rule = RULE_BY_CODE[code]
        groups.append({"rule": rule, "items": list(rule_items)})
    return groups


def purge_register() -> QuerySet[PurgeRegisterEntry]:
    return PurgeRegisterEntry.objects.select_related("confirmed_by").order_by("-purged_at", "-pk")
