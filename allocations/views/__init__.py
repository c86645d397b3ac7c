"""Pages of the allocation engine, one module per subject; urls.py routes to them from here."""

from allocations.views.applications import (
    application_create,
    application_detail,
    application_list,
    application_status,
    application_submit,
    application_validate,
    evidence_download,
    evidence_upload,
    letter_download,
)
from allocations.views.assessments import (
    application_assess,
    application_dates,
    assessment_override_decide,
    assessment_override_request,
)
from allocations.views.bypasses import (
    shortlist_bypass_decide,
    shortlist_bypass_undo,
    vacancy_offers_reset,
)
from allocations.views.checks import (
    check_create,
    check_detail,
    check_exception,
    check_return,
)
from allocations.views.common import (
    PAGE_SIZE,
    run_form,
)
from allocations.views.communications import (
    communications,
    contact_create,
    inbox_download,
    inbox_file,
    inbox_forward,
    inbox_list,
    inbox_upload,
)
from allocations.views.decisions import (
    decision_detail,
    decision_propose,
    decision_queue,
    decision_review,
    decision_sample,
)
from allocations.views.history import (
    case_history,
)
from allocations.views.housekeeping import (
    need_change_check,
    need_change_detail,
    need_changes_report,
    renewal_detail,
    renewal_receive,
    renewals_due,
)
from allocations.views.interviews import (
    interview_create,
    interview_outcome,
)
from allocations.views.lettings import (
    bid_create,
    shortlist_bypass,
    shortlist_replay,
    vacancy_advertise,
    vacancy_create,
    vacancy_detail,
    vacancy_fall_through,
    vacancy_freeze,
    vacancy_list,
    vacancy_withdraw,
)
from allocations.views.lists import checks_overdue_page, diary_page
from allocations.views.offers import (
    offer_create,
    offer_detail,
    offer_reply,
    offer_withdraw,
)
from allocations.views.partners import (
    partner_create,
    partner_edit,
    partner_list,
)
from allocations.views.policies import (
    policy_detail,
    policy_list,
    policy_publish,
)
from allocations.views.support import (
    conference_create,
    conference_detail,
    conference_list,
    referral_create,
    referral_detail,
    referral_response,
    vulnerability_create,
    vulnerability_detail,
)
from allocations.views.visits import (
    site_visit_create,
    site_visit_outcome,
)

__all__ = [
    "PAGE_SIZE",
    "application_assess",
    "application_create",
    "application_dates",
    "application_detail",
    "application_list",
    "application_status",
    "application_submit",
    "application_validate",
    "assessment_override_decide",
    "assessment_override_request",
    "bid_create",
    "case_history",
    "check_create",
    "check_detail",
    "check_exception",
    "check_return",
    "checks_overdue_page",
    "communications",
    "conference_create",
    "conference_detail",
    "conference_list",
    "contact_create",
    "decision_detail",
    "decision_propose",
    "decision_queue",
    "decision_review",
    "decision_sample",
    "diary_page",
    "evidence_download",
    "evidence_upload",
    "inbox_download",
    "inbox_file",
    "inbox_forward",
    "inbox_list",
    "inbox_upload",
    "interview_create",
    "interview_outcome",
    "letter_download",
    "need_change_check",
    "need_change_detail",
    "need_changes_report",
    "offer_create",
    "offer_detail",
    "offer_reply",
    "offer_withdraw",
    "partner_create",
    "partner_edit",
    "partner_list",
    "policy_detail",
    "policy_list",
    "policy_publish",
    "referral_create",
    "referral_detail",
    "referral_response",
    "renewal_detail",
    "renewal_receive",
    "renewals_due",
    "run_form",
    "shortlist_bypass",
    "shortlist_bypass_decide",
    "shortlist_bypass_undo",
    "shortlist_replay",
    "site_visit_create",
    "site_visit_outcome",
    "vacancy_advertise",
    "vacancy_create",
    "vacancy_detail",
    "vacancy_fall_through",
    "vacancy_freeze",
    "vacancy_list",
    "vacancy_offers_reset",
    "vacancy_withdraw",
    "vulnerability_create",
    "vulnerability_detail",
]
