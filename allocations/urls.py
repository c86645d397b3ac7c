from django.urls import path

from allocations import views
from allocations.models import (
    AllocationDecision,
    Application,
    BiddingCycle,
    DueDiligenceCheck,
    Interview,
    Offer,
    Partner,
    SiteVisit,
    Vacancy,
)
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
    path("vacancies/<int:pk>/replay/", views.shortlist_replay, name="shortlist-replay"),
    path(
        "vacancies/<int:pk>/history/",
        record_history,
        {"model": Vacancy},
        name="vacancy-history",
    ),
    path("shortlist/<int:pk>/bypass/", views.shortlist_bypass, name="shortlist-bypass"),
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
]
