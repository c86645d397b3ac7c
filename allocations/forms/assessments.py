"""Assessment, override and priority-date forms."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Application, PolicyVersion
from config.forms import Form, GovDateField, ReasonField


class AssessmentForm(Form):
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
        self.criteria = policy.policy.criteria
        layout = [Field.select("local_connection")]
        for criterion in self.criteria:
            code = criterion.code
            worth = (
                f"{criterion.points} points"
                if criterion.points is not None
                else f"band {criterion.band}"
            )
            self.fields[f"{code}__met"] = forms.BooleanField(
                label=f"{criterion.label} ({worth})", required=False
            )
            self.fields[f"{code}__evidence"] = forms.CharField(
                label=f"Evidence seen: {criterion.label}", required=False, max_length=500
            )
            layout += [Field.checkbox(f"{code}__met"), Field.text(f"{code}__evidence")]
        self.helper = form_helper(*layout, submit="Save assessment")

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            code = criterion.code
            if cleaned.get(f"{code}__met") and not cleaned.get(f"{code}__evidence", "").strip():
                self.add_error(f"{code}__evidence", f"Say what evidence shows: {criterion.label}")
        return cleaned

    def met(self) -> list[dict]:
        return [
            {"code": c.code, "evidence": self.cleaned_data[f"{c.code}__evidence"]}
            for c in self.criteria
            if self.cleaned_data.get(f"{c.code}__met")
        ]


class OverrideRequestForm(Form):
    band = forms.IntegerField(label="Band it should have", required=False, min_value=1)
    points = forms.IntegerField(label="Points it should have", required=False, min_value=0)
    reason = ReasonField(label="Why the policy's result is not right for this household")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
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


class OverrideDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the override"), ("reject", "Reject it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or reject"},
    )
    note = ReasonField(label="Reasons for the decision", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("note", rows=3),
            submit="Record decision",
        )


class DatesForm(Form):
    registration_date = GovDateField(label="Registration date")
    effective_date = GovDateField(label="Effective date")
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("registration_date"),
            Field("effective_date"),
            Field.textarea("reason", rows=3),
            submit="Change dates",
        )
