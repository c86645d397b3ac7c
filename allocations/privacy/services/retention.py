"""Retention batches: found nightly, confirmed (or cancelled) by a team leader, then purged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.privacy.models import PurgeRegisterEntry, RetentionBatch, RetentionBatchItem
from allocations.privacy.retention import RULES
from config.kernel.records import reason_required
from projects.services import work_item_create
from projects.work import source_key, work_item_cancel_for_source, work_item_complete_for_source


@transaction.atomic
def retention_batch_create(*, today: date, by: AbstractBaseUser) -> RetentionBatch | None:
    """Put what the schedule says is due in the waiting batch (one at a time), and the batch
    in the team leaders' queue. Running twice adds nothing twice; None when nothing is due."""
    batch = (
        RetentionBatch.objects.select_for_update()
        .filter(status=RetentionBatch.Status.WAITING)
        .first()
    )
    due = [record for rule in RULES for record in rule.find(today)]
    if batch is None and not due:
        return None
    if batch is None:
        batch = RetentionBatch.objects.create(found_on=today)
    held = set(batch.items.values_list("record_type", "record_id"))
    RetentionBatchItem.objects.bulk_create(
        RetentionBatchItem(
            batch=batch,
            rule=record.rule,
            record_type=record.record_type,
            record_id=record.record_id,
            label=record.label[:300],
            due_since=record.due_since,
        )
        for record in due
        if (record.record_type, record.record_id) not in held
    )
    work_item_create(
        kind="retention_batch",
        title=f"Confirm retention batch {batch.pk}",
        due=today,
        about=batch,
        role="team_leader",
        source_key=source_key("retention_batch", batch.pk),
        by=by,
    )
    return batch


@dataclass
class PurgeOutcome:
    purged: int  # records purged
    no_longer_due: int  # items dropped because they were not due any more


@transaction.atomic
def retention_batch_confirm(
    *, batch: RetentionBatch, reason: str, by: AbstractBaseUser, today: date | None = None
) -> PurgeOutcome:
    """Purge the batch for good: each item still due today is deleted with its history, logs
    and files; the register keeps one row per rule (counts, no personal data)."""
    reason = reason_required(reason)
    batch = RetentionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != RetentionBatch.Status.WAITING:
        raise ValidationError("This batch has already been confirmed or cancelled.")
    today = today or timezone.localdate()
    purged = dropped = 0
    for rule in RULES:
        asked = set(batch.items.filter(rule=rule.code).values_list("record_id", flat=True))
        if not asked:
            continue
        # Only what is still due today: a household that applied again is kept.
        still_due = sorted(asked & {record.record_id for record in rule.find(today)})
        dropped += len(asked) - len(still_due)
        if not still_due:
            continue
        count = rule.purge(still_due)
        PurgeRegisterEntry.objects.create(
            rule=rule.code,
            record_type=rule.record_type,
            count=len(still_due),
            rows_deleted=count.rows,
            files_deleted=len(count.files),
            batch_id=batch.pk,
            confirmed_by=by,
        )
        purged += len(still_due)
    batch.items.all().delete()
    batch.status = RetentionBatch.Status.PURGED
    batch.decided_by = by
    batch.decided_at = timezone.now()
    batch.reason = reason
    batch.save()
    work_item_complete_for_source(source_key("retention_batch", batch.pk), by=by)
    return PurgeOutcome(purged=purged, no_longer_due=dropped)


@transaction.atomic
def retention_batch_cancel(*, batch: RetentionBatch, reason: str, by: AbstractBaseUser) -> None:
    """Delete nothing; the batch's list goes (the next night finds what is still due)."""
    reason = reason_required(reason)
    batch = RetentionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != RetentionBatch.Status.WAITING:
        raise ValidationError("This batch has already been confirmed or cancelled.")
    batch.items.all().delete()
    batch.status = RetentionBatch.Status.CANCELLED
    batch.decided_by = by
    batch.decided_at = timezone.now()
    batch.reason = reason
    batch.save()
    work_item_cancel_for_source(source_key("retention_batch", batch.pk), by=by, reason=reason)
