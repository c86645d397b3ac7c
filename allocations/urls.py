from django.urls import path

from allocations import views
from allocations.models import (
    AllocationDecision,
    Application,
    BedroomNeedChange,
    BiddingCycle,
    Correction,
    DirectLet,
    DueDiligenceCheck,
    InboxDocument,
    Interview,
    Nomination,
    Offer,
    Partner,
    Referral,
    Renewal,
    SiteVisit,
    Vacancy,
)
from allocations.views import core, letters, nominations, provider, resales
from config.views import record_history

app_name = "allocations"

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path(
        "applications/new/<int:household_pk>/",
        views.application_create,
        name="application-create",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/validate/", views.application_validate, name="application-validate"
    ),
    path("applications/<int:pk>/assess/", views.application_assess, name="application-assess"),
    path("applications/<int:pk>/dates/", views.application_dates, name="application-dates"),
    path("applications/<int:pk>/status/", views.application_status, name="application-status"),
    path("applications/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path(
        "applications/<int:pk>/history/",
        record_history,
        {"model": Application},
        name="application-history",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("letters/<int:pk>/", views.letter_download, name="letter-download"),
    path(
        "assessments/<int:pk>/override/",
        views.assessment_override_request,
        name="override-request",
    ),
    path(
        "assessments/<int:pk>/override/decide/",
        views.assessment_override_decide,
        name="override-decide",
    ),
    path("vacancies/", views.vacancy_list, name="vacancy-list"),
    path("vacancies/new/<int:unit_pk>/", views.vacancy_create, name="vacancy-create"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/advertise/", views.vacancy_advertise, name="vacancy-advertise"),
    path("vacancies/<int:pk>/bids/", views.bid_create, name="bid-create"),
    path("vacancies/<int:pk>/close/", views.vacancy_freeze, name="vacancy-freeze"),
    path("vacancies/<int:pk>/withdraw/", views.vacancy_withdraw, name="vacancy-withdraw"),
    path(
        "vacancies/<int:pk>/fell-through/",
        views.vacancy_fall_through,
        name="vacancy-fall-through",
    ),
    path("vacancies/<int:pk>/replay/", views.shortlist_replay, name="shortlist-replay"),
    path(
        "vacancies/<int:pk>/history/",
        record_history,
        {"model": Vacancy},
        name="vacancy-history",
    ),
    path("shortlist/<int:pk>/bypass/", views.shortlist_bypass, name="shortlist-bypass"),
    path(
        "shortlist/<int:pk>/bypass/decide/",
        views.shortlist_bypass_decide,
        name="shortlist-bypass-decide",
    ),
    path(
        "shortlist/<int:pk>/bypass/undo/", views.shortlist_bypass_undo, name="shortlist-bypass-undo"
    ),
    path(
        "vacancies/<int:pk>/offers-reset/", views.vacancy_offers_reset, name="vacancy-offers-reset"
    ),
    # Choice-based lettings: bidding cycles, adverts in them, bids, connections, results.
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle-close"),
    path("cycles/<int:pk>/results/", views.cycle_results, name="cycle-results"),
    path(
        "cycles/<int:pk>/history/",
        record_history,
        {"model": BiddingCycle},
        name="cycle-history",
    ),
    path("cycles/<int:pk>/newsletter/", views.newsletter_publish, name="newsletter-publish"),
    path("newsletters/<int:pk>/", views.newsletter_download, name="newsletter-download"),
    path("newsletter-recipients/", views.newsletter_recipients, name="newsletter-recipients"),
    path("lettings-plans/", views.lettings_plan_list, name="lettings-plan-list"),
    path("lettings-plans/<int:pk>/", views.lettings_plan_edit, name="lettings-plan-edit"),
    path(
        "lettings-plans/<int:pk>/approve/",
        views.lettings_plan_approve,
        name="lettings-plan-approve",
    ),
    path("vacancies/<int:pk>/result/", views.let_result_publish, name="let-result-publish"),
    path("vacancies/<int:pk>/publish/", views.advert_publish, name="advert-publish"),
    path("vacancies/<int:pk>/withdraw/", views.advert_withdraw, name="advert-withdraw"),
    path("vacancies/<int:pk>/photos/new/", views.advert_photo_add, name="advert-photo-add"),
    path("photos/<int:pk>/", views.advert_photo, name="advert-photo"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid-withdraw"),
    path("applications/<int:pk>/bids/", views.application_bids, name="application-bids"),
    path(
        "applications/<int:pk>/connections/new/",
        views.connection_create,
        name="connection-create",
    ),
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/<int:pk>/", views.policy_detail, name="policy-detail"),
    path("policies/<int:pk>/publish/", views.policy_publish, name="policy-publish"),
    # From shortlist to allocation (allocations/views/)
    path("applications/<int:pk>/case-history/", views.case_history, name="case-history"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("partners/<int:pk>/history/", record_history, {"model": Partner}, name="partner-history"),
    path("applications/<int:pk>/interviews/new/", views.interview_create, name="interview-create"),
    path("interviews/<int:pk>/outcome/", views.interview_outcome, name="interview-outcome"),
    path(
        "interviews/<int:pk>/history/",
        record_history,
        {"model": Interview},
        name="interview-history",
    ),
    path("applications/<int:pk>/checks/new/", views.check_create, name="check-create"),
    path("applications/<int:pk>/checks/exception/", views.check_exception, name="check-exception"),
    path("checks/overdue/", views.checks_overdue_page, name="checks-overdue"),
    path("diary/", views.diary_page, name="diary"),
    path("checks/<int:pk>/", views.check_detail, name="check-detail"),
    path("checks/<int:pk>/answer/", views.check_return, name="check-return"),
    path(
        "checks/<int:pk>/history/",
        record_history,
        {"model": DueDiligenceCheck},
        name="check-history",
    ),
    path(
        "applications/<int:pk>/site-visits/new/", views.site_visit_create, name="sitevisit-create"
    ),
    path("site-visits/<int:pk>/outcome/", views.site_visit_outcome, name="sitevisit-outcome"),
    path(
        "site-visits/<int:pk>/history/",
        record_history,
        {"model": SiteVisit},
        name="sitevisit-history",
    ),
    path("shortlist/<int:pk>/offer/", views.offer_create, name="offer-create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer-detail"),
    path("offers/<int:pk>/reply/", views.offer_reply, name="offer-reply"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("offers/<int:pk>/history/", record_history, {"model": Offer}, name="offer-history"),
    path("offers/<int:pk>/propose/", views.decision_propose, name="decision-propose"),
    path("decisions/", views.decision_queue, name="decision-queue"),
    path("decisions/sample/", views.decision_sample, name="decision-sample"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/review/", views.decision_review, name="decision-review"),
    path(
        "decisions/<int:pk>/history/",
        record_history,
        {"model": AllocationDecision},
        name="decision-history",
    ),
    # Keeping the register true (issue 15): need changes, renewals.
    path("need-changes/", views.need_changes_report, name="need-changes-report"),
    path("need-changes/<int:pk>/", views.need_change_detail, name="need-change-detail"),
    path("need-changes/<int:pk>/check/", views.need_change_check, name="need-change-check"),
    path(
        "need-changes/<int:pk>/history/",
        record_history,
        {"model": BedroomNeedChange},
        name="need-change-history",
    ),
    path("renewals/", views.renewals_due, name="renewals-due"),
    path("renewals/<int:pk>/", views.renewal_detail, name="renewal-detail"),
    path(
        "renewals/<int:pk>/history/",
        record_history,
        {"model": Renewal},
        name="renewal-history",
    ),
    path("applications/<int:pk>/renew/", views.renewal_receive, name="renewal-receive"),
    # What a correction would have changed (issue 16): corrections made after the fact, the
    # replay of the household's frozen shortlists, and the remedy a team leader decides.
    path(
        "applications/<int:pk>/corrections/new/",
        views.correction_create,
        name="application-correction-create",
    ),
    path("corrections/", views.correction_list, name="correction-list"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction-detail"),
    path("corrections/<int:pk>/csv/", views.correction_csv, name="correction-csv"),
    path("corrections/<int:pk>/remedy/", views.correction_remedy, name="correction-remedy"),
    path(
        "corrections/<int:pk>/history/",
        record_history,
        {"model": Correction},
        name="correction-history",
    ),
    # Joining the register (issue 13): refused registrations and their reviews; priority
    # dated before registration under a policy exception.
    path("registration-reviews/", views.registration_reviews, name="registration-reviews"),
    path(
        "registration-refusals/<int:pk>/review/",
        views.registration_review_request,
        name="registration-review-request",
    ),
    path(
        "registration-refusals/<int:pk>/review/decide/",
        views.registration_review_decide,
        name="registration-review-decide",
    ),
    path(
        "applications/<int:pk>/effective-date/exception/",
        views.effective_date_backdate,
        name="effective-date-backdate",
    ),
    # The document inbox and the communications log (issue 15).
    path("inbox/", views.inbox_list, name="inbox-list"),
    path("inbox/upload/", views.inbox_upload, name="inbox-upload"),
    path("inbox/<int:pk>/", views.inbox_file, name="inbox-file"),
    path("inbox/<int:pk>/forward/", views.inbox_forward, name="inbox-forward"),
    path("inbox/<int:pk>/download/", views.inbox_download, name="inbox-download"),
    path(
        "inbox/<int:pk>/history/",
        record_history,
        {"model": InboxDocument},
        name="inbox-history",
    ),
    path("households/<int:pk>/communications/", views.communications, name="communications"),
    path("households/<int:pk>/communications/new/", views.contact_create, name="contact-create"),
    # Letters sent to households, and the council's wording of them (issue 15).
    path("post-room/", letters.post_room, name="post-room"),
    path("post-room/<int:pk>/letter/", letters.post_room_download, name="post-room-letter"),
    path("post-room/<int:pk>/posted/", letters.letter_posted, name="letter-posted"),
    path("letters/<int:pk>/send-again/", letters.letter_send_again, name="letter-send-again"),
    path("letters/<int:pk>/handed-over/", letters.letter_handed_over, name="letter-handed-over"),
    path("letter-wording/", letters.wording_list, name="wording-list"),
    path(
        "letter-wording/<str:kind>/<str:variant>/",
        letters.wording_history,
        name="wording-history",
    ),
    path(
        "letter-wording/<str:kind>/<str:variant>/new/",
        letters.wording_new,
        name="wording-new",
    ),
    # Vulnerability interviews, referrals and case conferences (issue 15).
    path(
        "applications/<int:pk>/vulnerability/",
        views.vulnerability_create,
        name="vulnerability-create",
    ),
    path("vulnerability/<int:pk>/", views.vulnerability_detail, name="vulnerability-detail"),
    path("households/<int:pk>/referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/response/", views.referral_response, name="referral-response"),
    path(
        "referrals/<int:pk>/history/",
        record_history,
        {"model": Referral},
        name="referral-history",
    ),
    # Extra Care housing panels (issue 14).
    path("direct-lets/", views.direct_let_list, name="direct-let-list"),
    path("direct-lets/new/", views.direct_let_create, name="direct-let-create"),
    path("direct-lets/<int:pk>/", views.direct_let_detail, name="direct-let-detail"),
    path(
        "direct-lets/<int:pk>/history/",
        record_history,
        {"model": DirectLet},
        name="direct-let-history",
    ),
    path("extra-care/referrals/", views.extracare_referral_list, name="extracare-referral-list"),
    path(
        "extra-care/referrals/new/",
        views.extracare_referral_create,
        name="extracare-referral-create",
    ),
    path(
        "extra-care/referrals/<int:pk>/",
        views.extracare_referral_detail,
        name="extracare-referral-detail",
    ),
    path("extra-care/panels/", views.extracare_panel_list, name="extracare-panel-list"),
    path("extra-care/panels/new/", views.extracare_panel_create, name="extracare-panel-create"),
    path(
        "extra-care/panels/<int:pk>/", views.extracare_panel_detail, name="extracare-panel-detail"
    ),
    path(
        "extra-care/panels/<int:pk>/pack/",
        views.extracare_pack_request,
        name="extracare-pack-request",
    ),
    path("extra-care/decisions/<int:pk>/", views.extracare_decision, name="extracare-decision"),
    path(
        "extra-care/packs/<int:pk>/", views.extracare_pack_download, name="extracare-pack-download"
    ),
    path("case-conferences/", views.conference_list, name="conference-list"),
    path("case-conferences/new/", views.conference_create, name="conference-create"),
    path("case-conferences/<int:pk>/", views.conference_detail, name="conference-detail"),
    # Nominations to registered providers (issue 14): the council's side.
    path("nominations/", nominations.nomination_list_page, name="nomination-list"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/review/", nominations.nomination_review, name="nomination-review"),
    path(
        "nominations/<int:pk>/history/",
        record_history,
        {"model": Nomination},
        name="nomination-history",
    ),
    path("vacancies/<int:pk>/nominate/", nominations.nomination_create, name="nomination-create"),
    path(
        "vacancies/<int:pk>/readvertise/",
        nominations.vacancy_readvertise,
        name="vacancy-readvertise",
    ),
    path("providers/", nominations.provider_list, name="provider-list"),
    path("providers/<int:pk>/", nominations.provider_report_page, name="provider-report"),
    # The provider's side: their own nominations, and the secure link for one nomination.
    path(
        "provider/nominations/",
        provider.provider_nomination_list,
        name="provider-nomination-list",
    ),
    path(
        "provider/nominations/<int:pk>/",
        provider.provider_nomination_detail,
        name="provider-nomination-detail",
    ),
    path("nomination-link/<str:token>/", provider.nomination_link, name="nomination-link"),
    # Low-cost home ownership resales (issue 14).
    path("resales/", resales.resale_list, name="resale-list"),
    path("resales/new/", resales.resale_create, name="resale-create"),
    path("resales/<int:pk>/", resales.resale_detail, name="resale-detail"),
    path("resales/<int:pk>/valuation/", resales.resale_valuation, name="resale-valuation"),
    path("resales/<int:pk>/nominate/", resales.resale_nominate, name="resale-nominate"),
    path("resales/<int:pk>/sold/", resales.resale_sold, name="resale-sold"),
    path("resales/<int:pk>/release/", resales.resale_release, name="resale-release"),
    path(
        "resales/nominations/<int:pk>/proceed/",
        resales.nomination_proceed,
        name="resale-nomination-proceed",
    ),
    path(
        "resales/nominations/<int:pk>/withdraw/",
        resales.nomination_withdraw,
        name="resale-nomination-withdraw",
    ),
    path("purchasers/", resales.purchaser_list, name="purchaser-list"),
    path("purchasers/new/", resales.purchaser_create, name="purchaser-create"),
    path("purchasers/<int:pk>/", resales.purchaser_edit, name="purchaser-edit"),
    # CORE lettings logs (issue 16).
    path("core/", core.core_export_page, name="core-export"),
    path("core/<int:year>.csv", core.core_export_csv, name="core-export-csv"),
    path("decisions/<int:pk>/core/", core.core_answers, name="core-answers"),
    path(
        "nominations/<int:pk>/core/",
        core.nomination_core_answers,
        name="nomination-core-answers",
    ),
    path("vacancies/<int:pk>/core/", core.vacancy_core, name="vacancy-core"),
    path("applications/<int:pk>/core/", core.application_core, name="application-core"),
]
