"""The work each casework step leaves in someone's queue (reminders come from projects)."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser

from projects import services as work
from projects.models import WorkItem

# --- Work queue helpers ----------------------------------------------------------------------


def work_add(*, key: str, kind: str, label: str, title: str, due: date, about, by, **owner):
    return work.work_item_create(
        kind=kind,
        kind_label=label,
        title=title,
        due=due,
        about=about,
        source_key=key,
        by=by,
        **owner,
    )


def work_done(key: str, *, by: AbstractBaseUser) -> None:
    """Close the work a step put in a queue, if it is still open (safe to call twice)."""
    item = work.work_item_for_source(key)
    if item is not None and item.status == WorkItem.Status.OPEN:
        work.work_item_complete(item=item, by=by)


def work_cancel(key: str, *, by: AbstractBaseUser, reason: str) -> None:
    item = work.work_item_for_source(key)
    if item is not None and item.status == WorkItem.Status.OPEN:
        work.work_item_cancel(item=item, by=by, reason=reason)
