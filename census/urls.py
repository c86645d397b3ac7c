from django.urls import path

from census import views
from census.models import CaravanCount, CensusDifference, CensusReturn, CensusRound
from config.views import record_history

app_name = "census"

urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/start/", views.round_start, name="round-start"),
    path("<int:pk>/close/", views.round_close, name="round-close"),
    path("<int:pk>/report/", views.round_report, name="round-report"),
    path("<int:pk>/report.csv", views.round_report_csv, name="round-report-csv"),
    path("<int:pk>/report.xlsx", views.round_report_xlsx, name="round-report-xlsx"),
    path("<int:pk>/caravans/", views.count_derive, name="count-derive"),
    path("<int:pk>/history/", record_history, {"model": CensusRound}, name="round-history"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("returns/<int:pk>/edit/", views.return_edit, name="return-edit"),
    path(
        "returns/<int:pk>/history/",
        record_history,
        {"model": CensusReturn},
        name="return-history",
    ),
    path("differences/<int:pk>/apply/", views.difference_apply, name="difference-apply"),
    path("differences/<int:pk>/dismiss/", views.difference_dismiss, name="difference-dismiss"),
    path(
        "differences/<int:pk>/history/",
        record_history,
        {"model": CensusDifference},
        name="difference-history",
    ),
    path("caravan-count/", views.count_list, name="count-list"),
    path("caravan-count/new/", views.count_create, name="count-create"),
    path("caravan-count/off-site/new/", views.off_site_count_create, name="off-site-count-create"),
    path("caravan-count/return.csv", views.count_csv, name="count-csv"),
    path(
        "caravan-count/<int:pk>/history/",
        record_history,
        {"model": CaravanCount},
        name="count-history",
    ),
]
