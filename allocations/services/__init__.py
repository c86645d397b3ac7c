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
from allocations.services.bypasses import (
    shortlist_bypass,
    shortlist_bypass_decide,
    shortlist_bypass_undo,
    shortlist_offers_reset,
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
from allocations.services.communications import (
    contact_record,
    inbox_file,
    inbox_forward,
    inbox_unfiled_raise,
    inbox_upload,
)
from allocations.services.decisions import (
    decision_approve,
    decision_propose,
    decision_return,
    decision_review,
    decisions_sample,
)
from allocations.services.housekeeping import (
    birth_check_raise,
    need_change_alert,
    need_change_apply,
    need_change_checked,
    need_change_reasons,
    need_changes_forecast,
    need_changes_run,
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
    bid_place,
    shortlist_freeze,
    vacancy_advertise,
    vacancy_create,
    vacancy_let_fall_through,
    vacancy_ranking_date,
    vacancy_withdraw,
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
from allocations.services.renewals import (
    band_penalty_end,
    renewal_close,
    renewal_date_next,
    renewal_hold,
    renewal_receive,
    renewal_reinstate,
    renewal_remind,
    renewals_run,
    suspension_end,
)
from allocations.services.support import (
    case_conference_record,
    referral_make,
    referral_response_record,
    vulnerability_interview_record,
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
    "band_penalty_end",
    "bedroom_need_for",
    "bid_place",
    "birth_check_raise",
    "case_conference_record",
    "case_open",
    "case_summary",
    "check_exception_record",
    "check_request",
    "check_return",
    "checks_cleared",
    "checks_outstanding",
    "clock",
    "contact_record",
    "decision_approve",
    "decision_facts",
    "decision_propose",
    "decision_return",
    "decision_review",
    "decisions_sample",
    "evidence_attach",
    "household_occupants",
    "inbox_file",
    "inbox_forward",
    "inbox_unfiled_raise",
    "inbox_upload",
    "ineligibility",
    "interview_record",
    "interview_schedule",
    "letter_request",
    "local_day",
    "need_change_alert",
    "need_change_apply",
    "need_change_checked",
    "need_change_reasons",
    "need_changes_forecast",
    "need_changes_run",
    "next_in_order",
    "next_reference",
    "offer_accept",
    "offer_make",
    "offer_refuse",
    "offer_withdraw",
    "outcome_record",
    "partner_save",
    "policy_for",
    "policy_in_force",
    "policy_publish",
    "referral_make",
    "referral_response_record",
    "renewal_close",
    "renewal_date_next",
    "renewal_hold",
    "renewal_receive",
    "renewal_reinstate",
    "renewal_remind",
    "renewals_run",
    "row_snapshot",
    "shortlist_bypass",
    "shortlist_bypass_decide",
    "shortlist_bypass_undo",
    "shortlist_freeze",
    "shortlist_offers_reset",
    "shortlist_rank",
    "shortlist_replay",
    "shortlist_snapshots",
    "site_visit_arrange",
    "site_visit_record",
    "snapshot_candidate",
    "suspension_end",
    "vacancy_advertise",
    "vacancy_create",
    "vacancy_let_fall_through",
    "vacancy_ranking_date",
    "vacancy_withdraw",
    "vulnerability_interview_record",
    "work_add",
]
