"""The work each casework step leaves in someone's queue (reminders come from projects).

Keys come from `projects.work.source_key(kind, pk...)`, the kinds and their labels from
`projects.work.WORK_KINDS`; closing work is `work_item_complete_for_source` /
`work_item_cancel_for_source`, which do nothing when the work is already closed.
"""

from datetime import date

from projects.services import work_item_create
from projects.work import work_kind_label


def work_add(*, key: str, kind: str, title: str, due: date, about, by, **owner):
    """Put a casework step's follow-up in a queue, once (the key makes it idempotent)."""
    return work_item_create(
        kind=kind,
        kind_label=work_kind_label(kind),
        title=title,
        due=due,
        about=about,
        source_key=key,
        by=by,
        **owner,
    )
