"""The reports' pages and downloads: one page, one CSV and one xlsx per report, each behind
allocations.view_reports. A bad filter is an error on the page (and refuses the download)."""

from collections.abc import Callable

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from allocations.reports.filters import ReportFilterForm
from allocations.reports.selectors import REPORTS, Report
from allocations.reports.selectors.common import Table
from config.kernel.exports import csv_response, xlsx_response

View = Callable[[HttpRequest], HttpResponse]


@permission_required("allocations.view_reports", raise_exception=True)
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    links = [(report, reverse(f"reports:{report.slug}")) for report in REPORTS]
    return render(request, "reports/index.html", {"links": links})


def _with_query(url: str, request: HttpRequest) -> str:
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


def _form(request: HttpRequest, report: Report) -> ReportFilterForm:
    return ReportFilterForm(request.GET or None, uses=report.uses)


def _page(report: Report) -> View:
    @permission_required("allocations.view_reports", raise_exception=True)
    @require_GET
    def page(request: HttpRequest) -> HttpResponse:
        form = _form(request, report)
        valid = not form.is_bound or form.is_valid()
        filters = form.filters()
        return render(
            request,
            "reports/report.html",
            {
                "report": report,
                "form": form,
                "filters": filters,
                "result": report.build(filters) if valid else None,
                "page_url": reverse(f"reports:{report.slug}"),
                "csv_url": _with_query(reverse(f"reports:{report.slug}-csv"), request),
                "xlsx_url": _with_query(reverse(f"reports:{report.slug}-xlsx"), request),
            },
        )

    return page


def _rows(report: Report, filters, table: Table) -> list[list]:
    return [[f"{table.caption}: {filters.describe()}"], table.headers, *table.rows]


def _download(report: Report, kind: str) -> View:
    @permission_required("allocations.view_reports", raise_exception=True)
    @require_GET
    def download(request: HttpRequest) -> HttpResponse:
        form = _form(request, report)
        if form.is_bound and not form.is_valid():
            return _page(report)(request)
        filters = form.filters()
        result = report.build(filters)
        name = f"{report.slug}-{timezone.localdate():%Y-%m-%d}.{kind}"
        if kind == "csv":
            return csv_response(name, _rows(report, filters, result.table))
        return xlsx_response(
            name,
            [
                # Sheet names are short (a spreadsheet allows 31 characters); the captions
                # are in each sheet's first line.
                ("Breakdown", _rows(report, filters, result.table)),
                ("Charted figures", _rows(report, filters, result.chart_table)),
            ],
        )

    return download


def report_views(report: Report) -> tuple[View, View, View]:
    return _page(report), _download(report, "csv"), _download(report, "xlsx")
