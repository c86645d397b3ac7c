"""Scenarios for tests/test_stale_work.py: tenancies' introductory reviews, subject access and
retention (issues 14 and 16)."""

from datetime import date

import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from allocations.models import Application
from allocations.privacy import services as privacy
from residents import services as residents
from residents.tasks import tenancies_nightly
from tests.allocations.factories import ApplicationFactory
from tests.factories import PersonFactory
from tests.residents.test_tenancies import tenancy_signed


def introductory_review(p):
    # Signed on 2 March 2026: the review falls due 8 weeks before the anniversary, and the
    # nightly run puts it in the team leaders' queue.
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(p.officer, start_date=date(2026, 3, 2))
    review_day = date(2027, 1, 5)
    with time_machine.travel(review_day, tick=False):
        tenancies_nightly()

    def confirmed():
        with time_machine.travel(review_day, tick=False):
            residents.tenancy_introductory_confirm(tenancy=tenancy, by=p.team_leader)

    return confirmed


def subject_access(p):
    request = privacy.subject_access_record(
        person=PersonFactory(),
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=p.officer,
        by=p.officer,
    )

    def answered():
        privacy.subject_access_export(request=request, by=p.officer)
        privacy.subject_access_answer(
            request=request, answered_on=timezone.localdate(), by=p.officer
        )

    return answered


def retention_batch(p):
    # A household whose only application was withdrawn is due once the schedule's years
    # have passed with nothing changed.
    ApplicationFactory(status=Application.Status.WITHDRAWN)
    later = timezone.localdate() + relativedelta(years=3)
    batch = privacy.retention_batch_create(today=later, by=p.team_leader)
    return lambda: privacy.retention_batch_cancel(
        batch=batch, reason="Complaint still open", by=p.team_leader
    )
