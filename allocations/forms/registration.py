"""Forms for joining the register: a review of a refused registration asked for and decided,
and an effective date dated before registration under a policy exception."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from config.forms import Form, GovDateField


class ReviewRequestForm(Form):
    requested_on = GovDateField(label="Date the household asked for the review")
    grounds = forms.CharField(
        label="What the household said",
        help_text="Why they think the decision is wrong, and anything we did not know.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter what the household said when asking for the review"},
    )
    late_reason = forms.CharField(
        label="If asked for after the review period: why the late request is accepted",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("requested_on"),
            Field.textarea("grounds"),
            Field.textarea("late_reason"),
            submit="Record the review request",
        )


class ReviewDecisionForm(Form):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[
            ("upheld", "Uphold the refusal: the household does not qualify"),
            ("overturned", "Overturn the refusal: admit the household to the register"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    reasons = forms.CharField(
        label="Reasons for the review decision",
        help_text="The household is sent these reasons.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter the reasons for the review decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("reasons"),
            submit="Record the review decision",
        )


class BackdateForm(Form):
    group = forms.ChoiceField(
        label="The policy's exception that applies",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the policy's exception that applies"},
    )
    effective_date = GovDateField(label="Effective date (before the registration date)")
    reason = forms.CharField(
        label="Why the exception applies to this household",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the exception applies to this household"},
    )
    evidence = forms.ChoiceField(
        label="Evidence document seen",
        help_text="Attach it to the application first if it is not listed.",
        error_messages={"required": "Choose the evidence document that shows the exception"},
    )

    def __init__(self, *args, groups, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g["code"], g["label"]) for g in groups]
        self.fields["evidence"].choices = [("", "Choose a document")] + [
            # Named by type as well as description: str() withholds a special-category type,
            # and the officers who date priority may read it.
            (str(document.pk), f"{document.get_kind_display()}: {document.description}")
            for document in evidence
        ]
        self.helper = form_helper(
            Field.radios("group", legend_size=Size.SMALL),
            Field("effective_date"),
            Field.textarea("reason"),
            Field.select("evidence"),
            submit="Date the priority from here",
        )
