"""A new-resident visit is to a resident: once the licence has ended there is none, so the
checklist takes nothing more and business support is never asked to open their account."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Licence
from tests.residents.helpers import days_ago, signed

pytestmark = pytest.mark.django_db


def _ended_before_the_visit(officer) -> Licence:
    licence = signed(officer, start_date=days_ago(60))
    services.licence_end(
        licence=licence,
        end_date=days_ago(2),
        reason="notice",
        notice_given_on=days_ago(2) - timedelta(weeks=4),
        by=officer,
    )
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ENDED and licence.visit.completed_on is None
    return licence


def test_a_visit_whose_licence_has_ended_takes_nothing_more(
    client, officer, business_support, django_capture_on_commit_callbacks
):
    licence = _ended_before_the_visit(officer)
    visit = licence.visit
    with pytest.raises(ValidationError, match="has ended"):
        services.visit_business_support_notify(visit=visit, by=officer)
    with pytest.raises(ValidationError, match="has ended"):
        services.visit_dates_record(visit=visit, visited_on=timezone.localdate(), by=officer)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("residents:visit-notify", args=[visit.pk]))
    assert mail.outbox == []
    visit.refresh_from_db()
    assert visit.business_support_requested_at is None
    page = client.get(reverse("residents:visit-detail", args=[visit.pk])).content.decode()
    assert "can no longer be done" in page
    assert reverse("residents:visit-notify", args=[visit.pk]) not in page


def test_an_account_asked_for_before_the_licence_ended_is_not_asked_for_after(
    officer, business_support, django_capture_on_commit_callbacks
):
    licence = signed(officer, start_date=days_ago(60))
    with django_capture_on_commit_callbacks(execute=False):
        services.visit_business_support_notify(visit=licence.visit, by=officer)
    services.licence_end(
        licence=licence,
        end_date=days_ago(2),
        reason="notice",
        notice_given_on=days_ago(2) - timedelta(weeks=4),
        by=officer,
    )
    # The worker runs only now: the household has gone, so business support is not asked.
    assert services.business_support_notification_send(visit_id=licence.visit.pk) != "sent"
    assert mail.outbox == []
