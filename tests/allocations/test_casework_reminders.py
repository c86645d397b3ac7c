"""Casework's reminders come from the one reminder engine: interview or visit tomorrow, check
overdue, reply due, decision waiting too long — each sent once, however often beat runs."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from allocations import services
from projects import services as work
from projects.models import Reminder, WorkItem
from projects.tasks import reminders_send
from residents.selectors import household_name
from tests.allocations.casework import (
    answers_as_records,
    checks_back,
    frozen_vacancy,
    partner,
    tomorrow_at,
)
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import SiteFactory, UserFactory
from tests.projects.factories import queue_empty


def _overdue_check(application, officer):
    today = timezone.localdate()
    return services.check_request(
        application=application,
        partner=partner("previous_landlord"),
        purpose="Tenancy history",
        legal_basis="Consent",
        requested_on=today - timedelta(days=20),
        due_on=today - timedelta(days=6),
        by=officer,
    )


@pytest.mark.django_db
def test_each_casework_reminder_is_sent_once(officer, team_leader):
    colleague = UserFactory(username="colleague", roles=["officer"])
    application = ActiveApplicationFactory()
    services.interview_schedule(
        application=application,
        starts_at=tomorrow_at(10),
        place="County Hall",
        lead_officer=officer,
        by=officer,
    )
    services.site_visit_arrange(
        application=application,
        site=SiteFactory(name="Oak Lane"),
        starts_at=tomorrow_at(14),
        officers=[officer, colleague],
        by=officer,
    )
    _overdue_check(application, officer)
    vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(
        entry=entry, respond_by=timezone.localdate() + timedelta(days=1), by=officer
    )

    assert reminders_send() == {"created": 5, "sent": 5}
    assert reminders_send() == {"created": 0, "sent": 0}
    # The queue names the household; the email names the kind of work and links to it, and
    # carries no household's name or reference.
    item = {item.kind: item for item in WorkItem.objects.exclude(kind="check")}
    item["check"] = WorkItem.objects.get(kind="check", object_id=application.pk)
    name = household_name(application.household)
    assert item["interview"].title == f"Interview {name} at 10:00, County Hall"
    assert item["site_visit"].title == f"Site visit to Oak Lane with {name} at 14:00"
    assert item["check"].title == f"Previous landlord 1 check for {name} due back"
    assert item["offer_reply"].title == (
        f"Reply to the offer of {vacancy.unit} from {household_name(offer.application.household)}"
    )

    def subject(what, kind):
        return f"{what}: {item[kind].kind_label} (work {item[kind].pk})"

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        [
            subject("Due tomorrow", "interview"),
            *(
                f"Due tomorrow: {visit.kind_label} (work {visit.pk})"
                for visit in WorkItem.objects.filter(kind="site_visit")
            ),
            subject("Overdue", "check"),
            subject("Due tomorrow", "offer_reply"),
        ]
    )
    for message in mail.outbox:
        for said in (name, application.reference, offer.application.reference):
            assert said not in message.subject and said not in message.body
    visit_to = sorted(m.to[0] for m in mail.outbox if "Site visit" in m.subject)
    assert visit_to == sorted([officer.email, colleague.email])


@pytest.mark.django_db
def test_a_decision_waiting_too_long_reminds_the_team_leaders(officer, team_leader, settings):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    checks_back(entry.application, officer)
    offer = services.offer_make(
        entry=entry, respond_by=timezone.localdate() + timedelta(days=5), by=officer
    )
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    services.decision_propose(
        offer=offer,
        answers=answers_as_records(offer),
        reasons="Top",
        by=officer,
    )
    late = timezone.localdate() + timedelta(days=settings.DECISION_APPROVAL_DAYS + 1)
    assert work.reminders_create(today=late, by=officer) == 1
    reminder = Reminder.objects.get()
    assert reminder.recipient == team_leader and reminder.what == Reminder.What.OVERDUE
    assert work.reminders_create(today=late, by=officer) == 0


@pytest.mark.celery_worker
def test_a_real_worker_running_the_sender_twice_sends_casework_reminders_once(
    transactional_db, celery_worker_process
):
    mail_dir = celery_worker_process.mail_dir
    for old in mail_dir.iterdir():
        old.unlink()
    officer = UserFactory(username="caseofficer", roles=["officer"])
    application = ActiveApplicationFactory()
    services.interview_schedule(
        application=application,
        starts_at=tomorrow_at(9),
        place="County Hall",
        lead_officer=officer,
        by=officer,
    )
    _overdue_check(application, officer)
    reminders_send.delay()
    reminders_send.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Reminder.objects.filter(sent_at__isnull=False).count() == 2 and queue_empty():
            break
        time.sleep(0.3)
    time.sleep(1.0)  # let a second run, if still going, finish writing
    messages = "".join(path.read_text() for path in mail_dir.iterdir())
    subjects = sorted(line for line in messages.splitlines() if line.startswith("Subject:"))
    interview, check = (WorkItem.objects.get(kind=kind) for kind in ("interview", "check"))
    assert subjects == [
        f"Subject: Due tomorrow: {interview.kind_label} (work {interview.pk})",
        f"Subject: Overdue: {check.kind_label} (work {check.pk})",
    ]


@pytest.mark.django_db
def test_the_team_leaders_queue_names_the_home_and_household_however_long_the_name(
    officer, team_leader, client
):
    _vacancy, (entry,) = frozen_vacancy(officer, 50)
    lead = entry.application.household.people.get(relationship="lead")
    lead.first_name, lead.last_name = "A" * 80, "B" * 80
    lead.save()
    checks_back(entry.application, officer)
    offer = services.offer_make(
        entry=entry, respond_by=timezone.localdate() + timedelta(days=5), by=officer
    )
    services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top", by=officer
    )
    item = WorkItem.objects.get(kind="decision_approval")
    wanted = (
        f"Approve or send back: {offer.vacancy.unit} (vacancy {offer.vacancy.reference}) to "
        f"{household_name(offer.application.household)}"
    )
    assert len(wanted) > 200 and item.title == wanted[:199] + "…"
    client.force_login(team_leader)
    assert item.title in client.get("/").content.decode()
