"""Forms for corrections made after the fact: a band or bedroom need corrected from a past
date, and the remedy a team leader decides."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Correction
from config.forms import Form, GovDateField, ReasonField


class CorrectionForm(Form):
    field = forms.ChoiceField(
        label="What was wrong",
        choices=[
            (Correction.Field.BAND, "The band"),
            (Correction.Field.BEDROOM_NEED, "The bedroom need"),
        ],
        widget=forms.RadioSelect,
        help_text="A wrong effective date is corrected with Change dates.",
        error_messages={"required": "Select what was wrong"},
    )
    value = forms.IntegerField(
        label="The correct value",
        help_text="The band (1 is the highest) or the number of bedrooms needed.",
        error_messages={
            "required": "Enter the correct value",
            "invalid": "Enter the correct value as a whole number, like 2",
        },
    )
    applies_from = GovDateField(label="Date the correct value applies from")
    reason = ReasonField(
        label="Why it was wrong, and what shows the right value",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("field", legend_size=Size.SMALL),
            Field.text("value", field_width=2),
            Field("applies_from"),
            Field.textarea("reason"),
            submit="Record the correction",
        )


class RemedyForm(Form):
    remedy = forms.ChoiceField(
        label="The remedy",
        choices=[c for c in Correction.Remedy.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the remedy"},
    )
    reasons = forms.CharField(
        label="Reasons for the remedy decision",
        help_text="Say which shortlists you looked at and why this remedy is fair.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter the reasons for the remedy decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("remedy", legend_size=Size.SMALL),
            Field.textarea("reasons"),
            submit="Record the remedy decision",
        )
