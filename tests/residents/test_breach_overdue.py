"""A breach's notice to remedy is chased only while its licence runs: once the licence has
ended there is no agreement left for the court to end, so nothing is overdue."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from projects.models import WorkItem
from projects.selectors import work_queue
from residents import services
from residents.models import Breach
from residents.selectors import breach_list
from tests.residents.helpers import signed

pytestmark = pytest.mark.django_db


def _notice_served(licence, *, officer, sites_manager, remedy_in_days: int) -> Breach:
    breach = services.breach_raise(
        licence=licence,
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Generator",
        by=officer,
    )
    services.breach_transition(breach=breach, to="investigating", reason="V", by=sites_manager)
    return services.breach_transition(
        breach=breach,
        to="notice_served",
        remedy_due_on=timezone.localdate() + timedelta(days=remedy_in_days),
        reason="Notice",
        by=sites_manager,
    )


def test_a_breach_on_a_licence_that_has_ended_is_not_overdue(client, officer, sites_manager):
    licence = signed(officer)
    breach = _notice_served(licence, officer=officer, sites_manager=sites_manager, remedy_in_days=3)
    services.licence_end(
        licence=licence,
        end_date=timezone.localdate() + timedelta(days=28),
        reason="notice",
        notice_given_on=timezone.localdate(),
        by=officer,
    )
    url = reverse("residents:breach-list")
    with time_machine.travel(timezone.now() + timedelta(days=5), tick=False):
        client.force_login(sites_manager)
        # Past the remedy date, the licence still running: overdue.
        assert list(breach_list(overdue=True)) == [breach]
        assert "Overdue" in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        client.force_login(sites_manager)
        # Its end date has come (the daily close may not have run yet): not overdue.
        assert list(breach_list(overdue=True)) == []
        assert "Overdue" not in client.get(url).content.decode()
        assert "No breaches match" in client.get(url + "?overdue=yes").content.decode()
        services.licences_end_due(today=timezone.localdate(), by=officer)
        assert list(breach_list(overdue=True)) == []
        assert "Overdue" not in client.get(url).content.decode()
        # The breach is still listed, for the sites manager to close with its outcome; no
        # chase of its remedy is left in the queue.
        assert list(breach_list()) == [breach]
        assert not WorkItem.objects.filter(
            source_key__startswith=f"breach_remedy_due:{breach.pk}:", status="open"
        ).exists()
        assert all(
            not item.source_key.startswith("breach_remedy_due")
            for item in work_queue(sites_manager, horizon_days=None).items
        )
