"""A breach is escalated (towards the court) only once its notice to remedy has run out, and
an escalated breach sits in the sites managers' queue until it is closed with its outcome."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.models import WorkItem
from residents import services
from residents.models import Breach
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


def _notice_served(officer, sites_manager, *, remedy_in_days: int = 14) -> Breach:
    breach = services.breach_raise(
        licence=signed(officer),
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Generator running all night",
        by=officer,
    )
    services.breach_transition(breach=breach, to="investigating", reason="Visit", by=sites_manager)
    return services.breach_transition(
        breach=breach,
        to="notice_served",
        remedy_due_on=timezone.localdate() + timedelta(days=remedy_in_days),
        reason="Notice to remedy served",
        by=sites_manager,
    )


def test_a_breach_is_not_escalated_while_its_notice_to_remedy_runs(client, officer, sites_manager):
    breach = _notice_served(officer, sites_manager)
    with pytest.raises(ValidationError, match="only once that date has passed"):
        services.breach_transition(
            breach=breach, to="escalated", reason="Not fixed", by=sites_manager
        )
    client.force_login(sites_manager)
    response = client.post(
        reverse("residents:breach-update", args=[breach.pk]),
        {"status": "escalated", "reason": "Still running the generator"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "only once that date has passed" in page
    assert "Still running the generator" in page  # what was typed is kept
    breach.refresh_from_db()
    assert breach.status == Breach.Status.NOTICE_SERVED


def test_an_escalated_breach_is_in_the_sites_managers_queue_until_closed(officer, sites_manager):
    breach = _notice_served(officer, sites_manager, remedy_in_days=7)
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        services.breach_transition(
            breach=breach, to="escalated", reason="Not put right", by=sites_manager
        )
        item = WorkItem.objects.get(source_key=f"breach_escalated:{breach.pk}")
        assert item.status == "open" and item.about == breach
        assert item.assigned_role.name == "sites_manager"
        # The remedy date's chase is over: the escalation is what is worked now.
        assert not WorkItem.objects.filter(
            source_key__startswith=f"breach_remedy_due:{breach.pk}", status="open"
        ).exists()
        services.breach_transition(
            breach=breach, to="closed", reason="Court ended the licence", by=sites_manager
        )
    item.refresh_from_db()
    assert item.status == "done"


def test_the_breach_pages_name_the_household_not_only_the_licence(client, officer, sites_manager):
    breach = services.breach_raise(
        licence=signed(officer),
        category="waste",
        observed_on=timezone.localdate(),
        description="Rubbish by the amenity block",
        by=officer,
    )
    client.force_login(sites_manager)
    listed = client.get(reverse("residents:breach-list")).content.decode()
    assert "Mary Lee" in listed
    shown = client.get(reverse("residents:breach-detail", args=[breach.pk])).content.decode()
    assert "Mary Lee" in shown


def test_a_breach_of_a_licence_that_has_ended_is_not_escalated(officer, sites_manager):
    """Escalating is a step towards the court ending the agreement: once the household has
    left (here on its own notice) there is none to end, so the breach is only closed."""
    breach = _notice_served(officer, sites_manager, remedy_in_days=7)
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        today = timezone.localdate()
        services.licence_end(
            licence=breach.licence,
            end_date=today,
            reason="notice",
            notice_given_on=today - timedelta(days=28),
            by=officer,
        )
        with pytest.raises(ValidationError, match="can be escalated only while the licence is"):
            services.breach_transition(
                breach=breach, to="escalated", reason="Not fixed", by=sites_manager
            )
        breach.refresh_from_db()
        assert breach.status == Breach.Status.NOTICE_SERVED
        services.breach_transition(
            breach=breach, to="closed", reason="The family has left", by=sites_manager
        )


def test_a_breach_under_notice_on_a_live_licence_is_not_closed_without_an_outcome(
    officer, sites_manager
):
    breach = _notice_served(officer, sites_manager)
    with pytest.raises(ValidationError, match="closed once it is remedied or escalated"):
        services.breach_transition(breach=breach, to="closed", reason="Tidy", by=sites_manager)
    breach.refresh_from_db()
    assert breach.status == Breach.Status.NOTICE_SERVED


def test_the_update_page_offers_only_the_steps_the_licence_allows(client, officer, sites_manager):
    breach = _notice_served(officer, sites_manager, remedy_in_days=7)
    url = reverse("residents:breach-update", args=[breach.pk])
    client.force_login(sites_manager)
    live = client.get(url)
    assert live.status_code == 200
    assert list(dict(live.context["form"].fields["status"].choices)) == ["escalated", "remedied"]
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        today = timezone.localdate()
        services.licence_end(
            licence=breach.licence,
            end_date=today,
            reason="notice",
            notice_given_on=today - timedelta(days=28),
            by=officer,
        )
        client.force_login(sites_manager)  # a week on, the first sign-in has expired
        ended = client.get(url)
    assert ended.status_code == 200
    assert list(dict(ended.context["form"].fields["status"].choices)) == ["closed", "remedied"]
