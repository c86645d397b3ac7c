"""A bedroom need's reasons may name an expected child, and a pregnancy is health data: the
change log withholds them from every reader, as it withholds other special-category values,
and the head of service (no special-category access) does not read them anywhere."""

import csv
import io

import pytest
from django.urls import reverse

from allocations.models import Assessment
from config import changelog
from config.kernel.records import save
from tests.allocations.factories import ActiveApplicationFactory, pitch_policy

pytestmark = pytest.mark.django_db

REASON = "Bedroom 3: the expected child and Ruby (aged 4)"


def _assessed(officer) -> Assessment:
    application = ActiveApplicationFactory()
    assessment = Assessment(
        application=application,
        policy_version=pitch_policy(),
        bedroom_need=3,
        bedroom_reasons=[REASON],
        assessed_by=officer,
    )
    save(assessment, by=officer, reason="Assessed")
    assessment.bedroom_reasons = [REASON, "Bedroom 1: the couple"]
    save(assessment, by=officer, reason="Reassessed")
    return assessment


@pytest.mark.parametrize("reader", ["auditor", "head_of_service"])
def test_the_change_log_withholds_an_expected_child_from_every_reader(
    client, officer, reader, request
):
    assessment = _assessed(officer)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(reverse("change-log-csv"), {"record_type": "allocations.assessment"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert len(rows) == 2 and "expected child" not in body
    assert all(f"Bedroom need reasons: {changelog.WITHHELD}" in row[6] for row in rows)
    page = client.get(reverse("allocations:case-history", args=[assessment.application_id]))
    assert page.status_code == 200 and "expected child" not in page.content.decode()
