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
from allocations.views.bids import (
    application_bids,
    bid_create,
    bid_withdraw,
    connection_create,
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
from allocations.views.cycles import (
    advert_photo,
    advert_photo_add,
    advert_publish,
    advert_withdraw,
    cycle_close,
    cycle_create,
    cycle_detail,
    cycle_list,
    cycle_results,
    let_result_publish,
    newsletter_download,
    newsletter_publish,
    newsletter_recipients,
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
from allocations.views.interviews import (
    interview_create,
    interview_outcome,
)
from allocations.views.lettings import (
    shortlist_bypass,
    shortlist_replay,
    vacancy_advertise,
    vacancy_create,
    vacancy_detail,
    vacancy_freeze,
    vacancy_list,
)
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
from allocations.views.visits import (
    site_visit_create,
    site_visit_outcome,
)

__all__ = [
    "PAGE_SIZE",
    "advert_photo",
    "advert_photo_add",
    "advert_publish",
    "advert_withdraw",
    "application_assess",
    "application_bids",
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
    "bid_withdraw",
    "case_history",
    "check_create",
    "check_detail",
    "check_exception",
    "check_return",
    "connection_create",
    "cycle_close",
    "cycle_create",
    "cycle_detail",
    "cycle_list",
    "cycle_results",
    "decision_detail",
    "decision_propose",
    "decision_queue",
    "decision_review",
    "decision_sample",
    "evidence_download",
    "evidence_upload",
    "interview_create",
    "interview_outcome",
    "let_result_publish",
    "letter_download",
    "newsletter_download",
    "newsletter_publish",
    "newsletter_recipients",
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
    "run_form",
    "shortlist_bypass",
    "shortlist_replay",
    "site_visit_create",
    "site_visit_outcome",
    "vacancy_advertise",
    "vacancy_create",
    "vacancy_detail",
    "vacancy_freeze",
    "vacancy_list",
]
