"""Forms for a review of a choice-based lettings band assessment: the decision (the request
is recorded with allocations.forms.registration.ReviewRequestForm, the same questions)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from config.forms import Form


class BandReviewDecisionForm(Form):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[
            ("upheld", "Uphold the assessment: the priority and bedroom need stay as they are"),
            ("changed", "Change the assessment: give the new priority or bedroom need below"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    band = forms.IntegerField(
        label="New band (if the review changes it)", required=False, min_value=1
    )
    points = forms.IntegerField(
        label="New points (if the review changes them)", required=False, min_value=0
    )
    bedroom_need = forms.IntegerField(
        label="New bedroom need (if the review changes it)",
        required=False,
        min_value=1,
        max_value=9,
    )
    reasons = forms.CharField(
        label="Reasons for the review decision",
        help_text="The household is sent these reasons.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter the reasons for the review decision"},
    )

    def __init__(self, *args, banded: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The application has a band or points, never both: only its own is asked for.
        del self.fields["points" if banded else "band"]
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.text("band" if banded else "points", field_width=3 if banded else 5),
            Field.text("bedroom_need", field_width=3),
            Field.textarea("reasons"),
            submit="Record the review decision",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "changed" and all(
            cleaned.get(name) is None for name in ("band", "points", "bedroom_need")
        ):
            self.add_error(
                "bedroom_need",
                "Enter the new priority or bedroom need, or uphold the assessment",
            )
        return cleaned
