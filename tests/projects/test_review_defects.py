"""Defects found in review of the work queue (tests/projects): each pins the right behaviour."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from projects import services
from projects.models import Risk, WorkItem
from projects.tasks import reminders_send
from tests.projects.factories import project, task

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_a_risk_with_a_long_title_is_reviewed_and_the_rest_are_still_reminded(
    head_of_service, officer
):
    p = project(lead=head_of_service, name="P" * 150)
    services.risk_add(
        project=p,
        by=head_of_service,
        kind="risk",
        title="R" * 200,
        likelihood=2,
        impact=2,
        owner=officer,
        review_on=_today() - timedelta(days=3),
    )
    other = task(assignee=officer, due=_today() + timedelta(days=1), title="Unrelated")
    reminders_send()
    review = WorkItem.objects.get(kind="risk_review")
    assert len(review.title) == WorkItem._meta.get_field("title").max_length
    assert review.title.endswith("…")
    assert f"Due tomorrow: {other.title}" in [m.subject for m in mail.outbox]


def test_one_risk_whose_review_cannot_be_made_does_not_stop_the_others(
    head_of_service, officer, monkeypatch
):
    p = project(lead=head_of_service)
    for title in ("Broken", "Funding"):
        services.risk_add(
            project=p,
            by=head_of_service,
            kind="risk",
            title=title,
            likelihood=2,
            impact=2,
            owner=officer,
            review_on=_today() - timedelta(days=3),
        )
    other = task(assignee=officer, due=_today() + timedelta(days=1), title="Unrelated")
    real_create = services.work_item_create

    def create(**kwargs):
        if "Broken" in kwargs["title"]:
            raise RuntimeError("boom")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "work_item_create", create)
    reminders_send()
    reviews = WorkItem.objects.filter(kind="risk_review")
    assert [r.about.title for r in reviews] == ["Funding"]
    assert Risk.objects.filter(status=Risk.Status.OPEN).count() == 2
    subjects = [m.subject for m in mail.outbox]
    assert f"Due tomorrow: {other.title}" in subjects
