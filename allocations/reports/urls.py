from django.urls import path

from allocations.reports import views
from allocations.reports.selectors import REPORTS

app_name = "reports"

urlpatterns = [path("", views.report_index, name="index")]
for _report in REPORTS:
    _page, _csv, _xlsx = views.report_views(_report)
    urlpatterns += [
        path(f"{_report.slug}/", _page, name=_report.slug),
        path(f"{_report.slug}.csv", _csv, name=f"{_report.slug}-csv"),
        path(f"{_report.slug}.xlsx", _xlsx, name=f"{_report.slug}-xlsx"),
    ]
