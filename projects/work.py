"""The work-item contract: how every app puts work in people's queues and takes it out.

    work_item_create(kind="interview", title=..., due=..., about=<record>,
                     source_key=source_key("interview", interview.pk), by=<user>, assignee=...)
    work_item_complete_for_source(source_key("interview", interview.pk), by=<user>)

- Every kind of work is registered in `WORK_KINDS` (its code and the label the queue shows):
  one table, so the queue, its filters and the reports name each kind the same way.
- `source_key(kind, *parts)` is the one builder of the keys that make creating work
  idempotent ("interview:42", "census_returns_outstanding:3:7"): the kind comes first, so a
  key says what it is for.
- `work_item_complete_for_source` / `work_item_cancel_for_source` close the work a step put in
  a queue if it is still open, and are safe to call twice.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from projects.models import WorkItem

# code -> the label the queue shows. Codes are stored on work items: never rename one.
WORK_KINDS: dict[str, str] = {
    # projects
    "project_task": "Project task",
    "risk_review": "Risk review",
    # residents
    "licence_sign_up": "Licence sign-up",
    "new_resident_visit": "New-resident visit",
    "licence_breach": "Licence breach",
    "breach_remedy_due": "Breach remedy due",
    "breach_escalated": "Breach escalated",
    "introductory_review": "Introductory tenancy review",
    "unauthorised_occupant": "Unauthorised occupant to follow up",
    # allocations (casework)
    "interview": "Interview",
    "check": "Due-diligence check",
    "check_stopped": "Tell a partner a check is stopped",
    "site_visit": "Site visit",
    "offer_reply": "Offer reply due",
    "decision_approval": "Decision awaiting approval",
    "decision_returned": "Decision sent back",
    "bypass_agreement": "Bypass awaiting agreement",
    "decision_stuck": "Decision nobody may make",
    # allocations (keeping the register true, issue 15)
    "need_change": "Bedroom need changes",
    "need_check": "Check household circumstances",
    "renewal": "Renewal due",
    "renewal_no_answer": "Renewal not answered",
    "inbox_document": "Document to file",
    "referral_response": "Referral response due",
    "conference_action": "Case conference action",
    # allocations (joining the register, issue 13)
    "registration_review": "Refused registration: review asked for",
    "band_assessment": "Admitted on review: band to assess",
    # allocations (choice-based lettings: a band assessment's review, s.166A(9))
    "band_review": "Band assessment: review asked for",
    "letter_not_sent": "Letter could not be sent",
    "letter_hand_over": "Letter to hand over in person",
    # allocations (what a correction would have changed, issue 16)
    "correction_remedy": "Correction: remedy to decide",
    # allocations (nominations to registered providers, issue 14)
    "nomination_answer": "Provider's answer to a nomination due",
    "nomination_review": "Provider's rejection to review",
    # allocations (low-cost home ownership resales, issue 14)
    "resale_valuation": "Resale valuation expiring",
    # allocations (choice-based lettings)
    "cycle_not_closed": "Bidding cycle could not close",
    # allocations (lets outside the cycle, issue 14)
    "direct_let_approval": "Direct let awaiting approval",
    "direct_let_lapsing": "Approved direct let not yet offered",
    # census
    "census_follow_up": "Census follow-up",
    "suspected_breach": "Suspected breach of licence",
    "census_round_not_started": "Census round not started",
    "census_returns_outstanding": "Census returns outstanding",
    # data protection (privacy, issue 16)
    "subject_access": "Subject access request",
    "retention_batch": "Retention batch to confirm",
}


def work_kind_label(kind: str) -> str:
    """The queue's label for a registered kind; an unregistered kind is a programming error."""
    try:
        return WORK_KINDS[kind]
    except KeyError:
        raise ValueError(f"Unregistered kind of work: {kind!r} (add it to WORK_KINDS)") from None


def source_key(kind: str, *parts: object) -> str:
    """The idempotency key of the work about one thing: "<kind>:<part>[:<part>...]"."""
    work_kind_label(kind)
    if not parts:
        raise ValueError("A source key names the record it is about")
    return ":".join([kind, *(str(part) for part in parts)])


def _live(key: str):
    """The work for `key` that counts: open or done. Cancelled work gives up its key (a
    database constraint keeps one live item per key), so asking again makes fresh work."""
    return WorkItem.objects.filter(source_key=key).exclude(status=WorkItem.Status.CANCELLED)


def work_item_for_source(key: str) -> WorkItem | None:
    return _live(key).first()


def work_item_reopen_refusal(item: WorkItem) -> str:
    """Why `item` may not be reopened ("" if it may): reopened, it would never close."""
    if item.project is not None and item.project.status == item.project.Status.CLOSED:
        return f"“{item}” is a task of {item.project}, which is closed: reopen the project first."
    if item.source_key:
        if item.status == WorkItem.Status.DONE:
            return (
                f"“{item}” closed when the step it waited for was done, so nothing would close it"
                " again: it cannot be reopened. Open the record it is about instead."
            )
        if _live(item.source_key).exclude(pk=item.pk).exists():
            return f"“{item}” has been put in the queue again as new work: open that instead."
    return ""


@transaction.atomic
def work_item_complete_for_source(key: str, *, by: AbstractBaseUser) -> WorkItem | None:
    """Mark the work for `key` done if it is still open; None when there is none open."""
    from projects.services import work_item_complete

    item = _live(key).select_for_update().first()
    if item is None or item.status != WorkItem.Status.OPEN:
        return None
    return work_item_complete(item=item, by=by)


@transaction.atomic
def work_item_cancel_for_source(key: str, *, by: AbstractBaseUser, reason: str) -> WorkItem | None:
    """Cancel the work for `key` if it is still open; None when there is none open."""
    from projects.services import work_item_cancel

    item = _live(key).select_for_update().first()
    if item is None or item.status != WorkItem.Status.OPEN:
        return None
    return work_item_cancel(item=item, by=by, reason=reason)


@transaction.atomic
def work_items_close_for_prefix(
    key: str, *, by: AbstractBaseUser, reason: str = ""
) -> list[WorkItem]:
    """Close every open item whose key is `key` or starts with `key:` (the work about one
    record, however many dates or people it was split by): done, or cancelled with `reason`."""
    from django.db.models import Q

    from projects.services import work_item_cancel, work_item_complete

    items = list(
        WorkItem.objects.select_for_update()
        .filter(Q(source_key=key) | Q(source_key__startswith=f"{key}:"))
        .filter(status=WorkItem.Status.OPEN)
    )
    return [
        work_item_cancel(item=item, by=by, reason=reason)
        if reason
        else work_item_complete(item=item, by=by)
        for item in items
    ]
