"""Every write of the privacy app: subject access requests and the retention purge."""

from allocations.privacy.services.retention import (
    retention_batch_cancel,
    retention_batch_confirm,
    retention_batch_create,
)
from allocations.privacy.services.subject_access import (
    subject_access_answer,
    subject_access_deadline,
    subject_access_exemption_add,
    subject_access_export,
    subject_access_record,
)

__all__ = [
    "retention_batch_cancel",
    "retention_batch_confirm",
    "retention_batch_create",
    "subject_access_answer",
    "subject_access_deadline",
    "subject_access_exemption_add",
    "subject_access_export",
    "subject_access_record",
]
