"""The data protection demo: a subject access request from Rose Ward in the officer's queue,
and a retention batch waiting for a team leader: the Finch household, whose only application
was withdrawn more than two years ago.

The request goes through the services. The Finches' application is saved directly with a
history date in the past (django-simple-history's `_history_date`): the demo has to have
been closed years ago, and history cannot be rewritten afterwards."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from allocations.models import Application
from allocations.privacy.models import RetentionBatch, SubjectAccessRequest
from allocations.privacy.services import retention_batch_create, subject_access_record
from allocations.services.common import next_reference
from config.demo import Demo, DemoStep
from residents.models import Person
from residents.services import household_create

# The person the README's walk-through asks for, and the household the batch holds.
DEMO_SUBJECT = ("Rose", "Ward")
DEMO_PURGED_FAMILY = "Finch"


def _closed_household(officer) -> None:
    today = timezone.localdate()
    household = household_create(
        by=officer,
        address_line_1="7 Orchard Close",
        town="Hythe",
        postcode="CT21 5AB",
        lead={
            "first_name": "Gary",
            "last_name": DEMO_PURGED_FAMILY,
            "date_of_birth": today.replace(year=1979) - timedelta(days=50),
            "sex": Person.Sex.MALE,
        },
    )
    registered = today - relativedelta(years=3, months=2)
    application = Application(
        reference=next_reference("PITCH", "allocations_application_reference"),
        household=household,
        scheme="pitch",
        kind=Application.Kind.NEW,
        status=Application.Status.WITHDRAWN,
        status_reason="Withdrawn at the household's request: moved out of the county",
        registration_date=registered,
        effective_date=registered,
        consent_to_enquiries=True,
    )
    application._history_date = timezone.now() - relativedelta(years=2, months=3)
    application._history_user = officer
    application._change_reason = "Withdrawn at the household's request"
    application.full_clean()
    application.save()


def privacy_load(demo: Demo) -> None:
    officer = demo.user("officer")
    first, last = DEMO_SUBJECT
    subject = Person.objects.filter(first_name=first, last_name=last).order_by("pk").first()
    if subject is not None:
        subject_access_record(
            person=subject,
            received_on=timezone.localdate() - timedelta(days=5),
            how_received="Letter to the allocations team",
            officer=officer,
            by=officer,
        )
    _closed_household(officer)
    retention_batch_create(today=timezone.localdate(), by=demo.user("teamleader"))


PRIVACY = DemoStep(
    loaded=lambda: SubjectAccessRequest.objects.exists() or RetentionBatch.objects.exists(),
    load=privacy_load,
)
