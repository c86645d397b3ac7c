"""Every write of the allocation engine, one module per subject; callers import from here.

Policies; applications and validation; letters; assessment and priority; lettings (vacancies,
bids and shortlists); casework (checks and partners, interviews, site visits, offers,
decisions and sampling) and the reminders each step leaves in a work queue."""

# Reads live in allocations.selectors; these names stay here for older callers.
from allocations.selectors import (
    Replay,
    ReplayLine,
    case_summary,
    checks_cleared,
    checks_outstanding,
    decision_facts,
    ineligibility,
    next_in_order,
    policy_for,
    policy_in_force,
    row_snapshot,
    shortlist_rank,
    shortlist_replay,
    shortlist_snapshots,
    snapshot_candidate,
)
from allocations.services.applications import (
    OPEN_STATUSES,
    application_create,
    application_locked,
    application_move,
    application_submit,
    application_transition,
    application_validate,
    evidence_attach,
)
from allocations.services.assessments import (
    application_assess,
    application_dates_change,
    assessment_override_decide,
    assessment_override_request,
    bedroom_need_for,
    household_occupants,
)
from allocations.services.autobids import auto_bids_place, auto_bids_place_due
from allocations.services.bids import (
    bid_ineligibility,
    bid_place,
    bid_withdraw,
    household_facts,
    place_bid,
    shortlists_offer_refused,
    shortlists_under_offer,
)
from allocations.services.cases import (
    case_open,
    clock,
    local_day,
    outcome_record,
)
from allocations.services.checks import (
    check_exception_record,
    check_request,
    check_return,
    partner_save,
)
from allocations.services.common import (
    next_reference,
)
from allocations.services.cycles import (
    advert_photo_add,
    advert_publish,
    advert_withdraw,
    connection_record,
    cycle_close,
    cycle_create,
    cycle_next_create,
    cycles_close_due,
)
from allocations.services.decisions import (
    decision_approve,
    decision_propose,
    decision_return,
    decision_review,
    decisions_sample,
)
from allocations.services.interviews import (
    interview_record,
    interview_schedule,
)
from allocations.services.letters import (
    letter_request,
)
from allocations.services.lettings import (
    VACANCY_FIELDS,
    shortlist_bypass,
    shortlist_freeze,
    vacancy_advertise,
    vacancy_create,
)
from allocations.services.needs import (
    access_needs_record,
    auto_bid_preference_save,
    connection_exemption_record,
)
from allocations.services.offers import (
    offer_accept,
    offer_make,
    offer_refuse,
    offer_withdraw,
)
from allocations.services.policies import (
    policy_publish,
)
from allocations.services.reminders import (
    work_add,
)
from allocations.services.results import (
    let_result_publish,
    newsletter_context,
    newsletter_publish,
    newsletter_recipient_add,
    newsletters_email_due,
)
from allocations.services.visits import (
    site_visit_arrange,
    site_visit_record,
)

__all__ = [
    "OPEN_STATUSES",
    "VACANCY_FIELDS",
    "Replay",
    "ReplayLine",
    "access_needs_record",
    "advert_photo_add",
    "advert_publish",
    "advert_withdraw",
    "application_assess",
    "application_create",
    "application_dates_change",
    "application_locked",
    "application_move",
    "application_submit",
    "application_transition",
    "application_validate",
    "assessment_override_decide",
    "assessment_override_request",
    "auto_bid_preference_save",
    "auto_bids_place",
    "auto_bids_place_due",
    "bedroom_need_for",
    "bid_ineligibility",
    "bid_place",
    "bid_withdraw",
    "case_open",
    "case_summary",
    "check_exception_record",
    "check_request",
    "check_return",
    "checks_cleared",
    "checks_outstanding",
    "clock",
    "connection_exemption_record",
    "connection_record",
    "cycle_close",
    "cycle_create",
    "cycle_next_create",
    "cycles_close_due",
    "decision_approve",
    "decision_facts",
    "decision_propose",
    "decision_return",
    "decision_review",
    "decisions_sample",
    "evidence_attach",
    "household_facts",
    "household_occupants",
    "ineligibility",
    "interview_record",
    "interview_schedule",
    "let_result_publish",
    "letter_request",
    "local_day",
    "newsletter_context",
    "newsletter_publish",
    "newsletter_recipient_add",
    "newsletters_email_due",
    "next_in_order",
    "next_reference",
    "offer_accept",
    "offer_make",
    "offer_refuse",
    "offer_withdraw",
    "outcome_record",
    "partner_save",
    "place_bid",
    "policy_for",
    "policy_in_force",
    "policy_publish",
    "row_snapshot",
    "shortlist_bypass",
    "shortlist_freeze",
    "shortlist_rank",
    "shortlist_replay",
    "shortlist_snapshots",
    "shortlists_offer_refused",
    "shortlists_under_offer",
    "site_visit_arrange",
    "site_visit_record",
    "snapshot_candidate",
    "vacancy_advertise",
    "vacancy_create",
    "work_add",
]
