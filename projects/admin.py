"""Projects and work items in the admin: for administrators to look things up, not to work in.

Every change goes through projects/services.py (with its rules and its reason on the record),
so nothing can be added or deleted here; what can be changed follows the user's permissions,
and administrators hold only the permissions to view (config/roles.py).
"""

from django.contrib import admin
from django.http import HttpRequest

from config.admin import HistoryAdmin, person_column
from projects import selectors
from projects.models import Milestone, Minutes, Project, Reminder, Risk, TaskAttachment, WorkItem


class ReadMostlyAdmin(HistoryAdmin):
    # Work about a record the user may not view (a census finding, a vulnerable household's
    # case conference) is not listed here, as the service's own pages refuse it: its title and
    # notes say what the record would. `WORK_ABOUT` is the path from the listed record to its
    # work item ("" for the work item itself); None lists everything.
    WORK_ABOUT: str | None = None

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if self.WORK_ABOUT is None:
            return queryset
        closed = selectors.content_types_closed_to(request.user)
        return queryset.exclude(**{f"{self.WORK_ABOUT}content_type_id__in": closed})

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_on", "achieved_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(ReadMostlyAdmin):
    list_display = ["name", person_column("lead", "Lead"), "status", "rag", "target_on"]
    list_filter = ["status", "rag"]
    search_fields = ["name", "description"]
    list_select_related = ["lead"]
    raw_id_fields = ["lead", "sponsor"]
    inlines = [MilestoneInline]


@admin.register(WorkItem)
class WorkItemAdmin(ReadMostlyAdmin):
    WORK_ABOUT = ""
    list_display = [
        "title",
        "kind_label",
        person_column("assignee", "Assigned to"),
        "assigned_role",
        "due_on",
        "status",
    ]
    list_filter = ["status", "kind", "priority"]
    search_fields = ["title", "source_key", "notes"]
    list_select_related = ["assignee", "assigned_role"]
    raw_id_fields = ["assignee", "project", "depends_on", "created_by", "completed_by"]
    date_hierarchy = "due_on"


@admin.register(TaskAttachment)
class TaskAttachmentAdmin(ReadMostlyAdmin):
    WORK_ABOUT = "work_item__"
    list_display = ["description", "work_item", "original_name", "size", "uploaded_at"]
    search_fields = ["description", "original_name", "work_item__title"]
    list_select_related = ["work_item"]
    raw_id_fields = ["work_item", "uploaded_by"]
    # The file itself is private: it is opened through the task's page, which checks permission.
    exclude = ["file"]


@admin.register(Milestone)
class MilestoneAdmin(ReadMostlyAdmin):
    list_display = ["title", "project", "due_on", "achieved_on"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(Risk)
class RiskAdmin(ReadMostlyAdmin):
    list_display = [
        "title",
        "project",
        "kind",
        "likelihood",
        "impact",
        person_column("owner", "Owner"),
        "status",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project", "owner"]
    raw_id_fields = ["project", "owner"]


@admin.register(Minutes)
class MinutesAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "project", "held_on"]
    search_fields = ["project__name", "notes"]
    list_select_related = ["project"]
    raw_id_fields = ["project", "recorded_by"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "recipient",
        "due_on",
        "sent_at",
        "not_sent_reason",
        "acknowledged_at",
    ]
    list_filter = ["what"]
    search_fields = ["work_item__title", "recipient__username"]
    list_select_related = ["work_item", "recipient"]
    raw_id_fields = ["work_item", "recipient"]

    def get_queryset(self, request: HttpRequest):
        # As for the work itself (ReadMostlyAdmin.WORK_ABOUT), for whoever holds the
        # permission to view reminders.
        closed = selectors.content_types_closed_to(request.user)
        return super().get_queryset(request).exclude(work_item__content_type_id__in=closed)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
