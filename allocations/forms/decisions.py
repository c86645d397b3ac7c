"""Proposal, decision, sampling and review forms."""

from collections.abc import Sequence

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import (
    DecisionReview,
)
from allocations.rules import ChecklistItem
from config.forms import Form, GovDateField


class ProposalForm(Form):
    """Each clause of the policy's decision checklist answered, then the reasons."""

    reasons = forms.CharField(
        label="Reasons for the allocation",
        widget=forms.Textarea,
        # Checked by decision_propose with the checklist, so every problem shows at once.
        required=False,
    )

    def __init__(self, *args, clauses: Sequence[ChecklistItem], facts, **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = clauses
        layout = []
        for clause in clauses:
            code = clause.code
            fact = facts.get(code)
            self.fields[f"clause_{code}"] = forms.ChoiceField(
                label=clause.label,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                help_text=(
                    ""
                    if fact is None
                    else "The records say: " + ("yes." if fact else "no — explain below.")
                ),
                required=False,  # decision_propose asks for every unanswered clause at once
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label="Note (needed if no, or if your answer differs from the records)",
                required=False,
                max_length=1000,
            )
            layout += [
                Field.radios(f"clause_{code}", legend_size=Size.SMALL, inline=True),
                Field.text(f"note_{code}"),
            ]
        self.helper = form_helper(
            Fieldset(*layout, legend="Policy checklist", legend_size=Size.MEDIUM),
            Field.textarea("reasons", rows=5),
            submit="Send to a team leader",
        )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            clause.code: {
                "met": {"yes": True, "no": False}.get(data.get(f"clause_{clause.code}")),
                "note": data.get(f"note_{clause.code}", ""),
            }
            for clause in self.clauses
        }


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the allocation"), ("return", "Send it back to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or send back"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="Needed when you send it back: say what must be put right.",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("comments", rows=4),
            submit="Record decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comments") or "").strip():
            self.add_error("comments", "Say what the officer needs to put right")
        return data


class SampleForm(Form):
    since = GovDateField(label="Decided from")
    until = GovDateField(label="Decided up to")
    size = forms.IntegerField(
        label="How many to sample",
        min_value=1,
        max_value=50,
        initial=5,
        error_messages={
            "required": "Enter how many decisions to sample",
            "min_value": "Sample at least 1 decision",
            "max_value": "Sample no more than 50 decisions",
            "invalid": "Enter how many decisions to sample as a number, like 5",
        },
    )
    seed = forms.IntegerField(
        label="Sample number",
        min_value=1,
        help_text="The same number gives the same sample again, so a review can be repeated.",
        error_messages={"required": "Enter a sample number", "invalid": "Enter a whole number"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("since"),
            Field("until"),
            Field.text("size", field_width=3),
            Field.text("seed", field_width=10),
            submit="Show sample",
        )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end of the period must be after its start")
        return data


class ReviewForm(Form):
    finding = forms.ChoiceField(
        label="Finding",
        choices=DecisionReview.Finding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the finding"},
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, error_messages={"required": "Enter the notes"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("finding", legend_size=Size.SMALL),
            Field.textarea("notes", rows=4),
            submit="Record review",
        )
