"""The reports on the demo data: every page opens for the demo head of service, with figures
where the demo has them (its approved let, its register, its sites and census)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from allocations.reports.filters import ReportFilterForm
from allocations.reports.selectors import REPORT_BY_SLUG, REPORTS

pytestmark = pytest.mark.django_db


def test_every_report_opens_on_the_demo_data_with_its_figures(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    client.force_login(get_user_model().objects.get(username="head"))
    for report in REPORTS:
        response = client.get(reverse(f"reports:{report.slug}"))
        assert response.status_code == 200, report.slug
    filters = ReportFilterForm(None, uses=()).filters()
    lets = REPORT_BY_SLUG["lets"].build(filters)
    assert sum(row[-1] for row in lets.table.rows) >= 1
    assert not REPORT_BY_SLUG["register"].build(filters).chart.empty
    occupancy = REPORT_BY_SLUG["occupancy"].build(filters)
    assert occupancy.table.rows and not occupancy.chart.empty
