"""Forms for what a household needs from a home: its access category with the assessment it
comes from, and a group the policy exempts from the local connection test. The choices are
the lettings policy's own (`access_categories`, `local_connection.exempt_groups`)."""

from collections.abc import Iterable, Mapping

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.services.needs import ASSESSMENT_MAX_LENGTH
from config.forms import Form, ReasonField
from config.kernel.records import REASON_TOO_LONG

# "Not exempt" as a radio's value: an empty value would read as no answer at all.
NOT_EXEMPT = "none"


class AccessNeedsForm(Form):
    category = forms.ChoiceField(
        label="Access category",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the household's access category",
            "invalid_choice": "Select one of the policy's access categories",
        },
    )
    assessment = forms.CharField(
        label="The assessment: who assessed, when and what they found",
        help_text="For example, 'Occupational therapist, Northshire Community Health, 12 "
        "October 2026: wheelchair user indoors, needs level access to the bathroom'. This is "
        "health information: only roles allowed to see it are shown it, and each showing is "
        "recorded.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=ASSESSMENT_MAX_LENGTH,
        error_messages={
            "required": "Enter the assessment: who assessed, when and what they found",
            "max_length": f"The assessment must be {ASSESSMENT_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, categories: Iterable[Mapping[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (c["code"], f"{c['code'].upper()}: {c['label']}") for c in categories
        ]
        self.helper = form_helper(
            Field.radios("category", legend_size=Size.SMALL),
            Field.textarea("assessment"),
            submit="Record the access needs",
        )


class ConnectionExemptionForm(Form):
    group = forms.ChoiceField(
        label="Exempt from the local connection test as",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the group the household is exempt as, or 'Not exempt'",
            "invalid_choice": "Select one of the policy's exempt groups, or 'Not exempt'",
        },
    )
    reason = ReasonField(
        label="The evidence seen",
        help_text="For example, 'Letter from the leaving care team, 3 March 2027'. Auditors "
        "will see this in the application's history.",
        error_messages={"required": "Enter the evidence seen", "max_length": REASON_TOO_LONG},
    )

    def __init__(self, *args, groups: Iterable[Mapping[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            *((g["code"], g["label"]) for g in groups),
            (NOT_EXEMPT, "Not exempt"),
        ]
        self.helper = form_helper(
            Field.radios("group", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            submit="Record the exemption",
        )

    def group_chosen(self) -> str:
        """The group as the service takes it: "" for not exempt."""
        group = self.cleaned_data["group"]
        return "" if group == NOT_EXEMPT else group
