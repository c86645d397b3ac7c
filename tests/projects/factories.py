from datetime import timedelta

from django.utils import timezone

from projects import services
from tests.factories import UserFactory


def project(**fields):
    fields.setdefault("name", f"Project {UserFactory._meta.model.objects.count()}-{id(fields)}")
    lead = fields.pop("lead", None) or UserFactory(roles=["head_of_service"])
    return services.project_create(lead=lead, by=lead, **fields)


def task(*, project_=None, assignee=None, due=None, title="Survey the pitches", by=None):
    project_ = project_ or project()
    assignee = assignee or UserFactory(roles=["officer"])
    return services.project_task_create(
        project=project_,
        title=title,
        due_on=due or timezone.localdate() + timedelta(days=1),
        assignee=assignee,
        by=by or project_.lead,
    )


def queue_empty() -> bool:
    """True once the test queue on the Redis broker has no task waiting."""
    from django.conf import settings

    from config.celery import app

    with app.connection_for_read() as connection:
        return connection.default_channel.client.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 0
