import json

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from allocations.models import Application, EvidenceDocument, PolicyVersion, Scheme
from config.forms import DocumentField, GovDateField, ReasonField


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


class ApplicationForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Scheme",
        choices=Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the scheme"},
    )
    kind = forms.ChoiceField(
        label="Type of application",
        choices=Application.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of application"},
    )
    registration_date = GovDateField(label="Registration date")
    consent_to_enquiries = forms.BooleanField(
        label="The household consents to enquiries of the police and other councils",
        required=False,
    )
    needs_accessible_home = forms.BooleanField(
        label="The household needs an accessible home", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("scheme", legend_size=Size.SMALL),
            Field.radios("kind", legend_size=Size.SMALL),
            Field("registration_date"),
            Field.checkbox("consent_to_enquiries"),
            Field.checkbox("needs_accessible_home"),
            submit="Record application",
        )


class ValidationForm(forms.Form):
    """The policy's checklist: one yes/no question per eligibility rule and exclusion."""

    def __init__(self, *args, policy: PolicyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        self.items = []
        for part, question in (
            ("eligibility", "Is this met?"),
            ("exclusions", "Does this exclusion apply?"),
        ):
            for item in policy.rules[part]:
                code = item["code"]
                self.items.append(code)
                self.fields[f"{code}__met"] = forms.ChoiceField(
                    label=f"{item['label']} — {question}",
                    choices=[("yes", "Yes"), ("no", "No")],
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Answer: {item['label']}"},
                )
                self.fields[f"{code}__note"] = forms.CharField(
                    label="Note (evidence seen)", required=False, max_length=500
                )
                layout += [
                    Field.radios(f"{code}__met", legend_size=Size.SMALL, inline=True),
                    Field.text(f"{code}__note"),
                ]
        self.helper = _helper(*layout, submit="Save validation")

    def answers(self) -> dict:
        return {
            code: {
                "met": self.cleaned_data[f"{code}__met"] == "yes",
                "note": self.cleaned_data[f"{code}__note"],
            }
            for code in self.items
        }


class AssessmentForm(forms.Form):
    """Each criterion the officer finds met, with the evidence that shows it."""

    local_connection = forms.TypedChoiceField(
        label="Local connection",
        choices=[("", "None"), *Application.LocalConnection.choices],
        coerce=int,
        empty_value=0,
        required=False,
    )

    def __init__(self, *args, policy: PolicyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = policy.rules["criteria"]
        layout = [Field.select("local_connection")]
        for criterion in self.criteria:
            code = criterion["code"]
            worth = (
                f"{criterion['points']} points"
                if criterion.get("points") is not None
                else f"band {criterion['band']}"
            )
            self.fields[f"{code}__met"] = forms.BooleanField(
                label=f"{criterion['label']} ({worth})", required=False
            )
            self.fields[f"{code}__evidence"] = forms.CharField(
                label=f"Evidence seen: {criterion['label']}", required=False, max_length=500
            )
            layout += [Field.checkbox(f"{code}__met"), Field.text(f"{code}__evidence")]
        self.helper = _helper(*layout, submit="Save assessment")

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            code = criterion["code"]
            if cleaned.get(f"{code}__met") and not cleaned.get(f"{code}__evidence", "").strip():
                self.add_error(
                    f"{code}__evidence", f"Say what evidence shows: {criterion['label']}"
                )
        return cleaned

    def met(self) -> list[dict]:
        return [
            {"code": c["code"], "evidence": self.cleaned_data[f"{c['code']}__evidence"]}
            for c in self.criteria
            if self.cleaned_data.get(f"{c['code']}__met")
        ]


class OverrideRequestForm(forms.Form):
    band = forms.IntegerField(label="Band it should have", required=False, min_value=1)
    points = forms.IntegerField(label="Points it should have", required=False, min_value=0)
    reason = ReasonField(label="Why the policy's result is not right for this household")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("band", field_width=3),
            Field.text("points", field_width=5),
            Field.textarea("reason", rows=3),
            submit="Ask a team leader to approve",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("band") is None and cleaned.get("points") is None:
            self.add_error("band", "Enter the band or the points the application should have")
        return cleaned


class OverrideDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the override"), ("reject", "Reject it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or reject"},
    )
    note = ReasonField(label="Reasons for the decision", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("note", rows=3),
            submit="Record decision",
        )


class DatesForm(forms.Form):
    registration_date = GovDateField(label="Registration date")
    effective_date = GovDateField(label="Effective date")
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("registration_date"),
            Field("effective_date"),
            Field.textarea("reason", rows=3),
            submit="Change dates",
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new status"},
    )
    reason = ReasonField()

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices
        self.helper = _helper(
            Field.radios("to", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            submit="Change status",
        )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of evidence",
        choices=EvidenceDocument.Kind.choices,
        error_messages={"required": "Select the type of evidence"},
    )
    description = forms.CharField(
        label="Description",
        max_length=200,
        error_messages={"required": "Describe the document"},
    )
    file = DocumentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("kind"),
            Field.text("description"),
            Field("file"),
            submit="Upload evidence",
        )


class VacancyForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Scheme",
        choices=Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the scheme"},
    )
    advert_text = forms.CharField(
        label="Advert text",
        widget=forms.Textarea,
        error_messages={"required": "Enter the advert text"},
    )
    opens_on = GovDateField(label="Opening date")
    closes_on = GovDateField(label="Closing date")
    min_household_size = forms.IntegerField(label="Smallest household", required=False, min_value=1)
    max_household_size = forms.IntegerField(label="Largest household", required=False, min_value=1)
    min_bedroom_need = forms.IntegerField(
        label="Smallest bedroom need", required=False, min_value=0
    )
    max_bedroom_need = forms.IntegerField(label="Largest bedroom need", required=False, min_value=0)
    min_age = forms.IntegerField(label="Lead applicant's minimum age", required=False, min_value=16)
    requires_accessible = forms.BooleanField(
        label="Only for households needing an accessible home", required=False
    )
    local_connection_required = forms.BooleanField(
        label="Only for households with a local connection", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("scheme", legend_size=Size.SMALL),
            Field.textarea("advert_text", rows=5),
            Field("opens_on"),
            Field("closes_on"),
            Fieldset(
                Field.text("min_household_size", field_width=3),
                Field.text("max_household_size", field_width=3),
                Field.text("min_bedroom_need", field_width=3),
                Field.text("max_bedroom_need", field_width=3),
                Field.text("min_age", field_width=3),
                Field.checkbox("requires_accessible"),
                Field.checkbox("local_connection_required"),
                legend="Who is eligible",
                legend_size=Size.MEDIUM,
            ),
            submit="Save vacancy",
        )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        for low, high, label in (
            ("min_household_size", "max_household_size", "household size"),
            ("min_bedroom_need", "max_bedroom_need", "bedroom need"),
        ):
            if (
                cleaned.get(low) is not None
                and cleaned.get(high) is not None
                and cleaned[high] < cleaned[low]
            ):
                self.add_error(high, f"The largest {label} must be at least the smallest")
        return cleaned


class BidForm(forms.Form):
    application_reference = forms.CharField(
        label="Application reference",
        help_text="For example PITCH-001042",
        max_length=20,
        error_messages={"required": "Enter the application reference"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("application_reference", field_width=10), submit="Add to shortlist"
        )


class BypassForm(forms.Form):
    reason = ReasonField(label="Why this applicant is being passed over", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), submit="Record bypass")


class PolicyPublishForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    effective_from = GovDateField(label="Effective from")
    rules = forms.CharField(
        label="Policy rules (JSON)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text="Start from the current version's rules, shown here.",
    )
    summary_of_changes = forms.CharField(
        label="Summary of changes",
        widget=forms.Textarea,
        error_messages={"required": "Say what changed from the last version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field("effective_from"),
            Field.textarea("rules", rows=30),
            Field.textarea("summary_of_changes", rows=3),
            submit="Publish this version",
        )

    def clean_rules(self):
        try:
            data = json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The rules are not valid JSON: {error.msg} at line {error.lineno}"
            ) from error
        if not isinstance(data, dict):
            raise forms.ValidationError("The rules must be a JSON object")
        return data
