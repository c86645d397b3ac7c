from django.urls import path

from config.views import record_history
from projects import views
from projects.models import Project

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_create, name="project-create"),
    path("team-queue/", views.team_queue, name="team-queue"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/history/", record_history, {"model": Project}, name="project-history"),
    path("<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
    path("<int:pk>/risks/new/", views.risk_create, name="risk-create"),
    path("milestones/<int:pk>/achieve/", views.milestone_achieve, name="milestone-achieve"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("<int:pk>/minutes/new/", views.minutes_create, name="minutes-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task-complete"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task-reopen"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task-reassign"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task-cancel"),
    path("tasks/<int:pk>/history/", views.task_history, name="task-history"),
    path("tasks/<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path(
        "reminders/<int:pk>/acknowledge/",
        views.reminder_acknowledge,
        name="reminder-acknowledge",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
