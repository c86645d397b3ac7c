"""Forms for nominations to registered providers: the provider's answer, the confirmed let,
the council's review of a rejection, and re-advertising a home nobody is left to take."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.core import year2026 as core
from allocations.forms.common import form_helper
from allocations.models import Nomination
from config.forms import Form, GovDateField, ReasonField

ANSWERS = [("accept", "Accept the nomination"), ("reject", "Reject the nomination")]
REVIEWS = [
    ("challenge", "Challenge the rejection: send it back to the provider with my note"),
    ("accept", "Accept the rejection and nominate the next household on the shortlist"),
]


def _name_field() -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=200,
        help_text="The council records who answered for the provider.",
        error_messages={"required": "Enter your name"},
    )


class NominationAnswerForm(Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you accept or reject the nomination"},
    )
    rejection_reason = forms.ChoiceField(
        label="Reason for rejecting",
        choices=Nomination.RejectionReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    rejection_detail = forms.CharField(
        label="Explain the rejection (optional unless you chose another reason)",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, ask_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.radios("answer", legend_size=Size.MEDIUM)]
        if ask_name:
            self.fields["answered_by"] = _name_field()
            fields.insert(0, Field.text("answered_by"))
        fields += [
            Field.radios("rejection_reason", legend_size=Size.SMALL),
            Field.textarea("rejection_detail", rows=3),
        ]
        self.helper = form_helper(*fields, submit="Send your answer")

    def clean(self):
        data = super().clean()
        if data.get("answer") == "reject" and not data.get("rejection_reason"):
            self.add_error("rejection_reason", "Choose the reason for rejecting the nomination")
        elif (
            data.get("answer") == "reject"
            and data.get("rejection_reason") == Nomination.RejectionReason.OTHER
            and not data.get("rejection_detail", "").strip()
        ):
            self.add_error("rejection_detail", "Explain the reason for rejecting the nomination")
        return data


def _yes_no(label: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


class NominationLetForm(Form):
    """The let confirmed, with the tenancy's terms the government's CORE lettings log asks
    (the council returns the let to CORE on the provider's behalf)."""

    tenancy_start_date = GovDateField(label="Tenancy start date")
    tenancy_type = forms.TypedChoiceField(
        label="Type of tenancy",
        choices=[(code, core.TENANCY_TYPE[code]) for code in core.PROVIDER_TENANCY_TYPES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of tenancy"},
    )
    tenancy_length = forms.IntegerField(
        label="Length of the fixed term, to the nearest year",
        help_text="For a fixed-term tenancy (2 to 99 years at social or affordable rent); "
        "optional for a periodic tenancy.",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": "Enter the length as a whole number of years",
            "min_value": "The length must be at least 1 year",
            "max_value": "The length must be at most 99 years",
        },
    )
    starter_tenancy = _yes_no(
        "Is it a starter (introductory) tenancy?", "Select whether it is a starter tenancy"
    )
    joint_tenancy = _yes_no("Is it a joint tenancy?", "Select whether it is a joint tenancy")

    def __init__(self, *args, ask_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field("tenancy_start_date"),
            Field.radios("tenancy_type", legend_size=Size.SMALL),
            Field.text("tenancy_length", field_width=4),
            Field.radios("starter_tenancy", legend_size=Size.SMALL, inline=True),
            Field.radios("joint_tenancy", legend_size=Size.SMALL, inline=True),
        ]
        if ask_name:
            self.fields["answered_by"] = _name_field()
            fields.insert(0, Field.text("answered_by"))
        self.helper = form_helper(*fields, submit="Confirm the let")


class NominationReviewForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=REVIEWS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you challenge or accept the rejection"},
    )
    note = ReasonField(
        label="Your note",
        help_text="A challenge goes to the provider with this note; either way it is kept in "
        "the nomination's history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Fieldset(Field.radios("decision", legend_size=Size.MEDIUM)),
            Field.textarea("note", rows=3),
            submit="Record the review",
        )


class ReadvertiseForm(Form):
    reason = ReasonField(
        label="Why the home is re-advertised",
        help_text="For example: every household on the shortlist was nominated and rejected.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Re-advertise")


class LinkResendForm(Form):
    reason = ReasonField(
        label="Why the link is sent again",
        help_text="For example: the provider's lettings team lost the email, or the link "
        "expired. Auditors will see this in the nomination's history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=3), submit="Send the link again")


__all__ = [
    "LinkResendForm",
    "NominationAnswerForm",
    "NominationLetForm",
    "NominationReviewForm",
    "ReadvertiseForm",
]
