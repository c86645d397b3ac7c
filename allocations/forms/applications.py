"""Application, validation, status and evidence forms."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Application, EvidenceDocument, PolicyVersion, Scheme
from allocations.models.applications import PitchSize
from config.forms import DocumentField, Form, GovDateField, ReasonField
from config.kernel.records import REASON_MAX_LENGTH


class ApplicationForm(Form):
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
    # Dates decide priority: one before today is evidenced, like any later change of it.
    backdate_reason = forms.CharField(
        label="If the registration date is before today: why",
        widget=forms.Textarea,
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="For example: received by post on that date. Auditors see this in the "
        "application's history.",
    )
    backdate_evidence = DocumentField(
        label="If the registration date is before today: the evidence (PDF, JPEG or PNG, up "
        "to 10 MB)",
        required=False,
    )
    caravans = forms.IntegerField(
        label="Caravans",
        required=False,
        min_value=0,
        max_value=20,
        error_messages={
            "invalid": "Caravans must be a whole number, like 2",
            "min_value": "Caravans cannot be fewer than 0",
            "max_value": "Caravans must be 20 or fewer",
        },
    )
    vehicles = forms.IntegerField(
        label="Vehicles",
        required=False,
        min_value=0,
        max_value=20,
        error_messages={
            "invalid": "Vehicles must be a whole number, like 1",
            "min_value": "Vehicles cannot be fewer than 0",
            "max_value": "Vehicles must be 20 or fewer",
        },
    )
    pitch_size = forms.ChoiceField(
        label="Pitch size needed",
        required=False,
        choices=[("", "Not known yet"), *PitchSize.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("scheme", legend_size=Size.SMALL),
            Field.radios("kind", legend_size=Size.SMALL),
            Field("registration_date"),
            Field.checkbox("consent_to_enquiries"),
            Field.checkbox("needs_accessible_home"),
            Field.textarea("backdate_reason", rows=3),
            Field("backdate_evidence"),
            Fieldset(
                Field.text("caravans", field_width=2),
                Field.text("vehicles", field_width=2),
                Field.select("pitch_size"),
                legend="Pitch applications: pitch need",
                legend_size=Size.SMALL,
            ),
            submit="Record application",
        )


class ValidationForm(Form):
    """The policy's checklist: one yes/no question per eligibility rule and exclusion, and
    (choice-based lettings) per qualification rule for joining the register."""

    def __init__(self, *args, policy: PolicyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        self.items = []
        # Choice-based lettings also asks the policy's qualification rules for joining the
        # register: a "no" to any of them refuses registration, with its reason.
        qualification = policy.policy.lettings.qualification if policy.scheme == "cbl" else ()
        parts = (
            ("Is this met?", policy.policy.eligibility),
            ("Does this exclusion apply?", policy.policy.exclusions),
            ("Does the household meet this?", qualification),
        )
        for question, items in parts:
            for item in items:
                code = item["code"] if isinstance(item, dict) else item.code
                label = item["label"] if isinstance(item, dict) else item.label
                self.items.append(code)
                self.fields[f"{code}__met"] = forms.ChoiceField(
                    label=f"{label} — {question}",
                    choices=[("yes", "Yes"), ("no", "No")],
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Answer: {label}"},
                )
                self.fields[f"{code}__note"] = forms.CharField(
                    label="Note (evidence seen)", required=False, max_length=500
                )
                layout += [
                    Field.radios(f"{code}__met", legend_size=Size.SMALL, inline=True),
                    Field.text(f"{code}__note"),
                ]
        self.helper = form_helper(*layout, submit="Save validation")

    def answers(self) -> dict:
        return {
            code: {
                "met": self.cleaned_data[f"{code}__met"] == "yes",
                "note": self.cleaned_data[f"{code}__note"],
            }
            for code in self.items
        }


class ConsentForm(Form):
    """Consent to enquiries of the police, probation and other councils, given or withdrawn
    after applying, and how the household gave or withdrew it."""

    given = forms.TypedChoiceField(
        label="Does the household consent to enquiries of the police and other councils?",
        choices=[
            ("yes", "Yes: consent given"),
            ("no", "No: consent withdrawn or not given"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the household consents to enquiries",
            "invalid_choice": "Select whether the household consents to enquiries",
        },
    )
    reason = ReasonField(
        help_text="How and when the household gave or withdrew consent (for example: signed "
        "consent form received by post). Auditors will see this in the record's history."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("given", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            submit="Save consent",
        )


class TransitionForm(Form):
    to = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new status"},
    )
    reason = ReasonField()

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices
        self.helper = form_helper(
            Field.radios("to", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            submit="Change status",
        )


class EvidenceForm(Form):
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
        self.helper = form_helper(
            Field.select("kind"),
            Field.text("description"),
            Field("file"),
            submit="Upload evidence",
        )
