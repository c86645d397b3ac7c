"""The demo's housekeeping on a frozen clock (issue 15, "Done when")."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from allocations import services
from allocations.demo_housekeeping import DEMO_FAMILY, demo_family
from allocations.models import (
    Application,
    CaseConference,
    Contact,
    InboxDocument,
    Letter,
    Referral,
    Renewal,
)
from config.history import system_user
from projects.models import WorkItem
from residents.selectors import household_name

pytestmark = pytest.mark.django_db

LOADED = date(2026, 12, 3)
TURNS_TEN = date(2026, 12, 20)


def test_the_demo_family_is_told_ahead_and_the_need_changes_on_the_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(LOADED, tick=False):
        call_command("demo_load", verbosity=0)
    application = Application.objects.get(household=demo_family(DEMO_FAMILY))
    item = WorkItem.objects.get(
        kind="need_change", title__contains=household_name(application.household)
    )
    assert item.due_on == TURNS_TEN and item.assignee.username == "officer"
    assert "Amy Ward turns 10" in item.title
    assert application.bedroom_need == 2
    with time_machine.travel(TURNS_TEN, tick=False):
        services.need_changes_run(today=TURNS_TEN, by=system_user())
    application.refresh_from_db()
    assert application.bedroom_need == 3
    assert "Bedroom need recorded on 20 December 2026" in (
        application.history.order_by("-history_date").first().history_change_reason
    )
    # The pitch need to reassess: a son turning 18 in 24 days.
    loveridge = Application.objects.get(household=demo_family("Loveridge"))
    pitch = WorkItem.objects.get(
        kind="need_check", title__contains=household_name(loveridge.household)
    )
    assert pitch.title.startswith("Pitch need may change on 27 December 2026: 2 to 3 caravans")
    assert "Jack Loveridge turns 18" in pitch.title
    # The renewal reminder's words in a second version, used by the demo's reminders; Mr
    # Smith's letters wait to be handed over in person.
    reminder = Letter.objects.filter(kind="renewal_reminder").latest("pk")
    assert reminder.wording.version == 2 and "later it will be closed" in reminder.wording.body
    smith = Application.objects.get(household=demo_family("Smith"))
    assert {letter.channel for letter in smith.letters.all()} == {Letter.Channel.BY_HAND}
    # The demo's renewals: one reminded, one on hold, one reinstated with its date kept.
    statuses = set(Renewal.objects.values_list("status", flat=True))
    assert {Renewal.Status.REMINDED, Renewal.Status.ON_HOLD, Renewal.Status.REINSTATED} <= statuses
    reinstated = Application.objects.get(household=demo_family("Boswell"))
    assert reinstated.status == Application.Status.ACTIVE
    assert reinstated.effective_date == reinstated.registration_date
    assert InboxDocument.objects.count() == 5
    assert InboxDocument.objects.filter(application=application).count() == 4
    assert Contact.objects.filter(household=application.household).exists()
    assert Referral.objects.exists() and CaseConference.objects.exists()
    assert WorkItem.objects.filter(kind="conference_action").count() == 2
    suspended = Application.objects.get(household=demo_family("Price"))
    assert suspended.status == Application.Status.ACTIVE
    assert "Suspension ended" in suspended.status_reason
