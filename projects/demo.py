"""The projects' demo data: the head of service's improvement programme."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from config.demo import DEMO_PROJECT, Demo, DemoStep
from projects import services as project_services
from projects.models import Project


def project_loaded() -> bool:
    return Project.objects.filter(name=DEMO_PROJECT).exists()


def project_load(demo: Demo) -> None:
    """The head of service's improvement programme, with work in the demo officers' queues:
    one task overdue, one due tomorrow and one done; a milestone and a risk."""
    users = get_user_model().objects.in_bulk(["head", "officer", "officer2"], field_name="username")
    head, officer, officer2 = users["head"], users["officer"], users["officer2"]
    today = timezone.localdate()
    project = project_services.project_create(
        by=head,
        name=DEMO_PROJECT,
        description="Resurfacing, drainage and amenity-block repairs across the pitch sites.",
        lead=head,
        status=Project.Status.ACTIVE,
        rag=Project.Rag.AMBER,
        rag_reason="The drainage survey is late.",
        start_on=date(2026, 4, 1),
        target_on=date(2027, 3, 31),
    )
    tasks = [
        ("Commission the drainage survey at Oak Lane", officer, today - timedelta(days=3)),
        ("Get three quotes for resurfacing Willow Park", officer2, today + timedelta(days=1)),
        ("Photograph the amenity blocks at Hop Garden", officer, today - timedelta(days=10)),
    ]
    created = [
        project_services.project_task_create(
            project=project, by=head, title=title, due_on=due_on, assignee=assignee
        )
        for title, assignee, due_on in tasks
    ]
    project_services.work_item_complete(item=created[2], by=officer)
    project_services.milestone_add(
        project=project,
        title="Contractor appointed",
        due_on=today + timedelta(days=30),
        by=head,
    )
    project_services.risk_add(
        project=project,
        by=head,
        title="Contractors are not available over the winter",
        likelihood=2,
        impact=3,
        owner=officer2,
        mitigation="Book the work before October; keep a second contractor on the list.",
        review_on=today + timedelta(days=14),
    )


PROJECT = DemoStep(loaded=project_loaded, load=project_load)
