from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from allocations.privacy.models import SubjectAccessRequest
from config.forms import Form, GovDateField, ReasonField, SaveButton, StaffChoiceField
from config.roles import OFFICER, TEAM_LEADER


def _helper(*fields, submit: str, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    button = SaveButton("save", submit, css_class="govuk-button--warning" if warning else "")
    helper.layout = Layout(*fields, button)
    return helper


class SubjectAccessSearchForm(Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *SubjectAccessRequest.Status.choices],
    )


class SubjectAccessForm(Form):
    received_on = GovDateField(
        label="Date received",
        help_text="The deadline is one calendar month from this date.",
    )
    how_received = forms.CharField(
        label="How it was received",
        max_length=200,
        help_text="For example: letter of 2 December, email to the allocations inbox.",
        error_messages={"required": "Enter how the request was received"},
    )
    officer = StaffChoiceField(label="Officer answering it", roles=[OFFICER, TEAM_LEADER])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("received_on"),
            Field.text("how_received"),
            Field.select("officer"),
            submit="Record the request",
        )


class ExemptionForm(Form):
    item = forms.CharField(
        label="What is withheld",
        max_length=300,
        error_messages={"required": "Enter what is withheld"},
    )
    reason = forms.CharField(
        label="Why it is withheld",
        max_length=500,
        widget=forms.Textarea,
        help_text="The exemption, for example: DPA 2018 Sch. 2 para 16 (third-party data).",
        error_messages={"required": "Enter why it is withheld"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("item"), Field.textarea("reason", rows=3), submit="Withhold it"
        )


class ExportForm(Form):
    checked = forms.BooleanField(
        label="I have checked what is withheld, and the export may go to the person",
        error_messages={"required": "Confirm that you have checked what is withheld"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.checkbox("checked"), submit="Download the export (zip)")


class AnswerForm(Form):
    answered_on = GovDateField(
        label="Date the export was sent",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("answered_on"), submit="Mark as answered")


class BatchDecisionForm(Form):
    reason = ReasonField(label="Reason", help_text="Kept with the batch and in the register.")

    def __init__(self, *args, submit: str, warning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=2), submit=submit, warning=warning)
