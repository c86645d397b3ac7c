from django.urls import path

from allocations import views
from allocations.models import Application, Vacancy
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
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/<int:pk>/", views.policy_detail, name="policy-detail"),
    path("policies/<int:pk>/publish/", views.policy_publish, name="policy-publish"),
]
