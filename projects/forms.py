from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.contrib.auth.models import Group

from config.forms import (
    DocumentField,
    Form,
    GovDateField,
    ModelForm,
    ReasonField,
    SaveButton,
    StaffChoiceField,
)
from config.roles import PROJECT_LEAD_ROLES, WORK_OWNER_ROLES
from projects.models import Project, Risk, WorkItem

MINUTES_ACTION_ROWS = 3


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    helper.layout = Layout(*fields, SaveButton("save", submit))
    return helper


# Anyone on the council's staff who can see projects may lead or sponsor one
# (config.roles.PROJECT_LEAD_ROLES); a task, a risk or a meeting's action is owned by someone
# who may complete work (config.roles.WORK_OWNER_ROLES). Chosen by name.
PERSON = "Choose a person"


class ProjectSearchForm(Form):
    q = forms.CharField(label="Search by name or description", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Project.Status.choices]
    )


class ProjectForm(ModelForm):
    lead = StaffChoiceField(label="Project lead", empty_label=PERSON, roles=PROJECT_LEAD_ROLES)
    sponsor = StaffChoiceField(
        label="Sponsor", required=False, empty_label=PERSON, roles=PROJECT_LEAD_ROLES
    )
    start_on = GovDateField(label="Start date", required=False)
    target_on = GovDateField(label="Target date", required=False)

    class Meta:
        model = Project
        fields = [
            "name",
            "description",
            "lead",
            "sponsor",
            "status",
            "rag",
            "rag_reason",
            "start_on",
            "target_on",
        ]
        error_messages = {
            "name": {
                "required": "Enter the project's name",
                "unique": Project.NAME_TAKEN,
            },
            "status": {"required": "Select the project's status"},
            "rag": {"required": "Select the RAG rating"},
        }

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = ReasonField()
        for name, choices in (("status", Project.Status.choices), ("rag", Project.Rag.choices)):
            self.fields[name].choices = choices
            self.fields[name].widget = forms.RadioSelect(choices=choices)
        self.helper = _helper(
            Field.text("name"),
            Field.textarea("description", rows=4),
            Field.select("lead"),
            Field.select("sponsor"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
            Field.textarea("rag_reason", rows=2),
            Field("start_on"),
            Field("target_on"),
            *([Field.text("reason")] if with_reason else []),
            submit="Save project",
        )


class TaskForm(Form):
    title = forms.CharField(
        label="Task", max_length=200, error_messages={"required": "Enter the task"}
    )
    assignee = StaffChoiceField(label="Owner", empty_label=PERSON, roles=WORK_OWNER_ROLES)
    due_on = GovDateField(label="Due date")
    priority = forms.TypedChoiceField(
        label="Priority",
        coerce=int,
        choices=WorkItem.Priority.choices,
        initial=WorkItem.Priority.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the priority"},
    )
    depends_on = forms.ModelMultipleChoiceField(
        label="Depends on",
        required=False,
        queryset=WorkItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="This task cannot be completed until these are done.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, project: Project, task: WorkItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        others = project.tasks.order_by("due_on", "pk")
        if task is not None:
            others = others.exclude(pk=task.pk)
            self.fields.pop("assignee")
        self.fields["depends_on"].queryset = others
        layout = [
            Field.text("title"),
            *([] if task else [Field.select("assignee")]),
            Field("due_on"),
            Field.radios("priority", legend_size=Size.SMALL, inline=True),
        ]
        if others.exists():
            layout.append(Field.checkboxes("depends_on", legend_size=Size.SMALL, small=True))
        else:
            self.fields.pop("depends_on")
        layout.append(Field.textarea("notes", rows=3))
        self.helper = _helper(*layout, submit="Save task")


class ReasonForm(Form):
    reason = ReasonField()

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), submit=submit)


class ReassignForm(Form):
    assignee = StaffChoiceField(
        label="New owner", required=False, empty_label=PERSON, roles=WORK_OWNER_ROLES
    )
    role = forms.ModelChoiceField(
        label="Role",
        queryset=Group.objects.none(),
        required=False,
        empty_label="No role",
        help_text="Work for a role is in the queue of everyone who holds it.",
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {role.name: role.label for role in WORK_OWNER_ROLES}
        self.fields["role"].queryset = Group.objects.filter(name__in=labels).order_by("name")
        self.fields["role"].label_from_instance = lambda group: labels[group.name]
        self.helper = _helper(
            Field.select("assignee"),
            Field.select("role"),
            Field.textarea("reason", rows=3),
            submit="Reassign task",
        )

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("assignee")
            and not cleaned.get("role")
            and "assignee" not in self.errors
        ):
            self.add_error("assignee", "Select a new owner or a role")
        return cleaned


class MilestoneForm(Form):
    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    due_on = GovDateField(label="Due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("title"), Field("due_on"), submit="Add milestone")


class RiskForm(Form):
    kind = forms.ChoiceField(
        label="Risk or issue",
        choices=Risk.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a risk or an issue"},
    )
    title = forms.CharField(
        label="Description", max_length=200, error_messages={"required": "Describe the risk"}
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        coerce=int,
        choices=Risk.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the likelihood"},
    )
    impact = forms.TypedChoiceField(
        label="Impact",
        coerce=int,
        choices=Risk.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the impact"},
    )
    owner = StaffChoiceField(label="Owner", empty_label=PERSON, roles=WORK_OWNER_ROLES)
    mitigation = forms.CharField(label="Mitigation", required=False, widget=forms.Textarea)
    review_on = GovDateField(label="Review date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("title"),
            Field.radios("likelihood", legend_size=Size.SMALL, inline=True),
            Field.radios("impact", legend_size=Size.SMALL, inline=True),
            Field.select("owner"),
            Field.textarea("mitigation", rows=3),
            Field("review_on"),
            submit="Add to the log",
        )


class MilestoneAchievedForm(Form):
    achieved_on = GovDateField(label="Date achieved")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("achieved_on"), submit="Mark as achieved")


class RiskChangeForm(RiskForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Risk.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the entry is open or closed"},
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("kind")
        self.fields.pop("title")
        self.helper = _helper(
            Field.radios("likelihood", legend_size=Size.SMALL, inline=True),
            Field.radios("impact", legend_size=Size.SMALL, inline=True),
            Field.select("owner"),
            Field.textarea("mitigation", rows=3),
            Field("review_on"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", rows=3),
            submit="Save changes",
        )


class MinutesForm(Form):
    held_on = GovDateField(label="Date of the meeting")
    attendees = forms.CharField(
        label="Attendees", widget=forms.Textarea, error_messages={"required": "Enter who attended"}
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, error_messages={"required": "Enter the notes"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        for number in range(1, MINUTES_ACTION_ROWS + 1):
            self.fields[f"action_{number}_title"] = forms.CharField(
                label="Action", max_length=200, required=False
            )
            self.fields[f"action_{number}_owner"] = StaffChoiceField(
                label="Owner", required=False, empty_label=PERSON, roles=WORK_OWNER_ROLES
            )
            self.fields[f"action_{number}_due"] = GovDateField(label="Due date", required=False)
            fieldsets.append(
                Fieldset(
                    Field.text(f"action_{number}_title"),
                    Field.select(f"action_{number}_owner"),
                    Field(f"action_{number}_due"),
                    legend=f"Action {number}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = _helper(
            Field("held_on"),
            Field.textarea("attendees", rows=2),
            Field.textarea("notes", rows=6),
            *fieldsets,
            submit="Save minutes",
        )

    def clean(self):
        cleaned = super().clean()
        actions = []
        for number in range(1, MINUTES_ACTION_ROWS + 1):
            title = cleaned.get(f"action_{number}_title")
            owner = cleaned.get(f"action_{number}_owner")
            due = cleaned.get(f"action_{number}_due")
            if not (title or owner or due):
                continue
            if not title:
                self.add_error(f"action_{number}_title", f"Enter action {number}")
            if not owner:
                self.add_error(f"action_{number}_owner", f"Select the owner of action {number}")
            if not due:
                self.add_error(f"action_{number}_due", f"Enter the due date of action {number}")
            actions.append({"title": title, "owner": owner, "due": due})
        cleaned["actions"] = actions
        return cleaned


class AttachmentForm(Form):
    description = forms.CharField(
        label="Description", max_length=200, error_messages={"required": "Describe the document"}
    )
    file = DocumentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("description"), Field("file"), submit="Upload")
