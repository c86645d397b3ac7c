"""The introductory review in the team leaders' queue leaves it when it can no longer be done:
the tenancy ended, or became secure by law without a review."""

from datetime import date

import pytest
import time_machine

from projects.models import WorkItem
from residents import services
from residents.models import Licence
from tests.residents.test_tenancies import tenancy_signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _review_queued(officer) -> Licence:
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        assert services.tenancy_reviews_due(today=date(2027, 1, 5), by=officer) == 1
    assert WorkItem.objects.get(kind="introductory_review").status == "open"
    return tenancy


def test_a_tenancy_that_ends_takes_its_review_out_of_the_queue(officer):
    tenancy = _review_queued(officer)
    with time_machine.travel(date(2027, 1, 20), tick=False):
        services.licence_end(
            licence=tenancy,
            end_date=date(2027, 2, 17),
            reason="notice_to_quit",
            notice_given_on=date(2027, 1, 20),
            by=officer,
        )
    with time_machine.travel(date(2027, 2, 17), tick=False):
        assert services.licences_end_due(today=date(2027, 2, 17), by=officer) == 1
    item = WorkItem.objects.get(kind="introductory_review")
    assert item.status == "cancelled"


def test_a_tenancy_secure_without_a_review_takes_its_review_out_of_the_queue(officer):
    tenancy = _review_queued(officer)
    with time_machine.travel(date(2027, 3, 2), tick=False):
        assert services.tenancies_secure_due(today=date(2027, 3, 2), by=officer) == 1
    tenancy.refresh_from_db()
    assert tenancy.kind == Licence.Kind.SECURE
    assert WorkItem.objects.get(kind="introductory_review").status == "cancelled"
