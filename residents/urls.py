from django.urls import path

from config.views import record_history
from residents.models import (
    Breach,
    HandbookSection,
    Licence,
    NewResidentVisit,
    Person,
)
from residents.views import breaches, handbook, households, licences, visits

app_name = "residents"

# Only opaque ids in paths and query strings: never a name, date of birth or postcode.
urlpatterns = [
    path("", households.household_list, name="household-list"),
    path("new/", households.household_create, name="household-create"),
    path("<int:pk>/", households.household_detail, name="household-detail"),
    path("<int:pk>/edit/", households.household_edit, name="household-edit"),
    path("<int:pk>/history/", households.household_history, name="household-history"),
    path("<int:household_pk>/people/new/", households.person_create, name="person-create"),
    path("people/<int:pk>/edit/", households.person_edit, name="person-edit"),
    path("people/<int:pk>/history/", record_history, {"model": Person}, name="person-history"),
    path(
        "special-category-views/",
        households.special_category_views,
        name="special-category-views",
    ),
    path("licences/", licences.licence_list, name="licence-list"),
    path("licences/<int:pk>/", licences.licence_detail, name="licence-detail"),
    path(
        "licences/<int:pk>/history/",
        record_history,
        {"model": Licence},
        name="licence-history",
    ),
    path("licences/<int:pk>/edit/", licences.licence_edit, name="licence-edit"),
    path(
        "licences/<int:pk>/documents/",
        licences.licence_documents,
        name="licence-documents",
    ),
    path(
        "licences/documents/<int:pk>/",
        licences.licence_document_download,
        name="licence-document-download",
    ),
    path(
        "licences/evidence/<int:pk>/",
        licences.licence_evidence_download,
        name="licence-evidence-download",
    ),
    path(
        "licences/<int:pk>/written-statement/",
        licences.licence_statement,
        name="licence-statement",
    ),
    path("licences/<int:pk>/sign/", licences.licence_sign, name="licence-sign"),
    path("licences/<int:pk>/end/", licences.licence_end, name="licence-end"),
    path(
        "licences/<int:pk>/introductory-review/",
        licences.introductory_review,
        name="introductory-review",
    ),
    path("licences/<int:pk>/consent/", licences.licence_consent, name="licence-consent"),
    path("licences/<int:pk>/succession/", licences.licence_succession, name="licence-succession"),
    path("licences/<int:pk>/occupants/new/", licences.occupant_add, name="occupant-add"),
    path("licences/occupants/<int:pk>/left/", licences.occupant_end, name="occupant-end"),
    path("licences/occupants/<int:pk>/role/", licences.occupant_role, name="occupant-role"),
    path(
        "licences/<int:pk>/unauthorised-occupants/new/",
        licences.unauthorised_occupant_create,
        name="unauthorised-occupant-create",
    ),
    path(
        "unauthorised-occupants/<int:pk>/",
        licences.unauthorised_occupant_update,
        name="unauthorised-occupant-update",
    ),
    path("licences/<int:pk>/breaches/new/", breaches.breach_create, name="breach-create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path(
        "visits/<int:pk>/history/",
        record_history,
        {"model": NewResidentVisit},
        name="visit-history",
    ),
    path("visits/<int:pk>/checklist/", visits.visit_dates, name="visit-dates"),
    path("visits/<int:pk>/handbook/", visits.visit_handbook, name="visit-handbook"),
    path("visits/<int:pk>/notify/", visits.visit_notify, name="visit-notify"),
    path("visits/<int:pk>/complete/", visits.visit_complete, name="visit-complete"),
    path(
        "visits/<int:pk>/meter-readings/new/",
        visits.meter_reading_create,
        name="meter-reading-create",
    ),
    path("meter-readings/<int:pk>/photo/", visits.meter_photo, name="meter-photo"),
    path("breaches/", breaches.breach_list, name="breach-list"),
    path("breaches/<int:pk>/", breaches.breach_detail, name="breach-detail"),
    path(
        "breaches/<int:pk>/history/",
        record_history,
        {"model": Breach},
        name="breach-history",
    ),
    path("breaches/<int:pk>/update/", breaches.breach_update, name="breach-update"),
    path("breaches/<int:pk>/evidence/", breaches.breach_evidence, name="breach-evidence"),
    path("handbook/", handbook.handbook, name="handbook"),
    path(
        "handbook/sections/new/",
        handbook.handbook_section_create,
        name="handbook-section-create",
    ),
    path(
        "handbook/sections/<int:pk>/edit/",
        handbook.handbook_section_edit,
        name="handbook-section-edit",
    ),
    path(
        "handbook/sections/<int:pk>/history/",
        record_history,
        {"model": HandbookSection},
        name="handbook-section-history",
    ),
    path("handbook/sites/<int:pk>/print/", handbook.handbook_print, name="handbook-print"),
    path("handbook/editions/<int:pk>/", handbook.handbook_download, name="handbook-download"),
]
