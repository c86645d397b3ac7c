from django.urls import path

from config.views import record_history
from residents import licence_views, views
from residents.models import (
    Breach,
    HandbookSection,
    Household,
    Licence,
    NewResidentVisit,
    Person,
)

app_name = "residents"

# Only opaque ids in paths and query strings: never a name, date of birth or postcode.
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/history/", record_history, {"model": Household}, name="household-history"),
    path("<int:household_pk>/people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/history/", record_history, {"model": Person}, name="person-history"),
    path(
        "special-category-views/",
        views.special_category_views,
        name="special-category-views",
    ),
    path("licences/", licence_views.licence_list, name="licence-list"),
    path("licences/<int:pk>/", licence_views.licence_detail, name="licence-detail"),
    path(
        "licences/<int:pk>/history/",
        record_history,
        {"model": Licence},
        name="licence-history",
    ),
    path("licences/<int:pk>/edit/", licence_views.licence_edit, name="licence-edit"),
    path(
        "licences/<int:pk>/documents/",
        licence_views.licence_documents,
        name="licence-documents",
    ),
    path(
        "licences/documents/<int:pk>/",
        licence_views.licence_document_download,
        name="licence-document-download",
    ),
    path(
        "licences/<int:pk>/written-statement/",
        licence_views.licence_statement,
        name="licence-statement",
    ),
    path("licences/<int:pk>/sign/", licence_views.licence_sign, name="licence-sign"),
    path("licences/<int:pk>/end/", licence_views.licence_end, name="licence-end"),
    path("licences/<int:pk>/occupants/new/", licence_views.occupant_add, name="occupant-add"),
    path("licences/occupants/<int:pk>/left/", licence_views.occupant_end, name="occupant-end"),
    path("licences/occupants/<int:pk>/role/", licence_views.occupant_role, name="occupant-role"),
    path(
        "licences/<int:pk>/unauthorised-occupants/new/",
        licence_views.unauthorised_occupant_create,
        name="unauthorised-occupant-create",
    ),
    path(
        "unauthorised-occupants/<int:pk>/",
        licence_views.unauthorised_occupant_update,
        name="unauthorised-occupant-update",
    ),
    path("licences/<int:pk>/breaches/new/", licence_views.breach_create, name="breach-create"),
    path("visits/<int:pk>/", licence_views.visit_detail, name="visit-detail"),
    path(
        "visits/<int:pk>/history/",
        record_history,
        {"model": NewResidentVisit},
        name="visit-history",
    ),
    path("visits/<int:pk>/checklist/", licence_views.visit_dates, name="visit-dates"),
    path("visits/<int:pk>/handbook/", licence_views.visit_handbook, name="visit-handbook"),
    path("visits/<int:pk>/notify/", licence_views.visit_notify, name="visit-notify"),
    path("visits/<int:pk>/complete/", licence_views.visit_complete, name="visit-complete"),
    path(
        "visits/<int:pk>/meter-readings/new/",
        licence_views.meter_reading_create,
        name="meter-reading-create",
    ),
    path("meter-readings/<int:pk>/photo/", licence_views.meter_photo, name="meter-photo"),
    path("breaches/<int:pk>/", licence_views.breach_detail, name="breach-detail"),
    path(
        "breaches/<int:pk>/history/",
        record_history,
        {"model": Breach},
        name="breach-history",
    ),
    path("breaches/<int:pk>/update/", licence_views.breach_update, name="breach-update"),
    path("breaches/<int:pk>/evidence/", licence_views.breach_evidence, name="breach-evidence"),
    path("handbook/", licence_views.handbook, name="handbook"),
    path(
        "handbook/sections/new/",
        licence_views.handbook_section_create,
        name="handbook-section-create",
    ),
    path(
        "handbook/sections/<int:pk>/edit/",
        licence_views.handbook_section_edit,
        name="handbook-section-edit",
    ),
    path(
        "handbook/sections/<int:pk>/history/",
        record_history,
        {"model": HandbookSection},
        name="handbook-section-history",
    ),
    path("handbook/sites/<int:pk>/print/", licence_views.handbook_print, name="handbook-print"),
    path("handbook/editions/<int:pk>/", licence_views.handbook_download, name="handbook-download"),
]
