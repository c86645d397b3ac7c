"""Forms for vulnerability interviews, referrals and case conferences."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from allocations.forms.common import CASEWORK_STAFF, form_helper
from allocations.models import Partner, Referral, VulnerabilityInterview
from config.forms import Form, GovDateField, StaffChoiceField, staff

ACTION_ROWS = 3


def _text(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=required,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class VulnerabilityInterviewForm(Form):
    held_on = GovDateField(label="Date held")
    interviewer = StaffChoiceField(roles=CASEWORK_STAFF, label="Interviewer")
    interpreter_language = forms.CharField(
        label="Interpreter (language)", max_length=60, required=False
    )
    needs_found = _text("Needs found")
    risk = forms.ChoiceField(
        label="Risk",
        choices=VulnerabilityInterview.Risk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk"},
    )
    support_in_place = _text("Support in place", required=False)
    outcome = _text("Outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("held_on"),
            Field.select("interviewer"),
            Field.text("interpreter_language"),
            Field.textarea("needs_found"),
            Field.radios("risk", inline=True),
            Field.textarea("support_in_place"),
            Field.textarea("outcome"),
            submit="Record the interview",
        )


class ReferralForm(Form):
    agency = forms.ChoiceField(
        label="Referred to (type)",
        choices=[("", "Choose"), *Referral.Agency.choices],
        error_messages={"required": "Choose who the referral is to"},
    )
    partner = forms.ModelChoiceField(
        label="Partner (optional)",
        queryset=Partner.objects.filter(active=True),
        required=False,
        empty_label="Not one of our partners",
    )
    reason = _text("Why")
    basis = forms.ChoiceField(
        label="Consent or lawful basis",
        choices=Referral.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the household consented"},
    )
    basis_detail = forms.CharField(
        label="Consent reference or lawful basis",
        max_length=300,
        error_messages={"required": "Enter the consent reference or the lawful basis"},
    )
    referred_on = GovDateField(label="Referred on")
    response_due = GovDateField(label="Response due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.select("agency"),
            Field.select("partner"),
            Field.textarea("reason"),
            Field.radios("basis"),
            Field.text("basis_detail"),
            Field("referred_on"),
            Field("response_due"),
            submit="Make the referral",
        )


class ReferralResponseForm(Form):
    received_on = GovDateField(label="Response received on")
    outcome = _text("Outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("received_on"), Field.textarea("outcome"), submit="Record the response"
        )


class CaseConferenceForm(Form):
    held_on = GovDateField(label="Date held")
    staff = forms.ModelMultipleChoiceField(
        label="Staff attending",
        queryset=staff(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the staff who attended"},
    )
    partners_attending = _text("Partners attending", required=False)
    applications = forms.CharField(
        label="Cases discussed (application references, one per line)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the cases discussed"},
    )
    decisions = _text("Decisions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].label_from_instance = lambda user: user.get_full_name() or str(user)
        rows = []
        for number in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{number}_title"] = forms.CharField(
                label="Action", max_length=200, required=False
            )
            self.fields[f"action_{number}_owner"] = StaffChoiceField(
                label="Owner", required=False, empty_label="Choose a person"
            )
            self.fields[f"action_{number}_due"] = GovDateField(label="Due date", required=False)
            rows.append(
                Fieldset(
                    Field.text(f"action_{number}_title"),
                    Field.select(f"action_{number}_owner"),
                    Field(f"action_{number}_due"),
                    legend=f"Action {number}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = form_helper(
            Field("held_on"),
            Field.checkboxes("staff"),
            Field.textarea("partners_attending"),
            Field.textarea("applications"),
            Field.textarea("decisions"),
            *rows,
            submit="Record the case conference",
        )

    def clean(self):
        from allocations.models import Application

        cleaned = super().clean()
        references = [line.strip() for line in cleaned.get("applications", "").split() if line]
        found = list(Application.objects.filter(reference__in=references))
        missing = sorted(set(references) - {application.reference for application in found})
        if missing:
            self.add_error("applications", f"No application with reference {', '.join(missing)}")
        cleaned["cases"] = found
        actions = []
        for number in range(1, ACTION_ROWS + 1):
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
