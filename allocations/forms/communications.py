"""Forms for the document inbox and the communications log."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from allocations.forms.common import CASEWORK_STAFF, TimeOfDayField, aware_moment, form_helper
from allocations.models import Contact, EvidenceDocument
from config.forms import DocumentField, Form, GovDateField, ReasonField, StaffChoiceField


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(DocumentField):
    """Many documents at once, each checked by its content as one document is."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("label", "Scans (PDF, JPEG or PNG, up to 10 MB each)")
        super().__init__(**kwargs)
        self.error_messages["required"] = "Choose one or more files"

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                errors += [f"{upload.name}: {message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)
        return cleaned


class InboxUploadForm(Form):
    upload_progress = True  # a batch of scans can take a while: the page shows how far it is
    files = DocumentsField(
        help_text="Choose every scan from this batch of post at once; each is checked."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("files"), submit="Upload to the inbox")


class HouseholdSearchForm(Form):
    """Find the household a scan belongs to (the criteria stay in the session)."""

    name = forms.CharField(label="Name", max_length=100, required=False)
    reference = forms.CharField(label="Household or application reference", required=False)
    date_of_birth = GovDateField(label="Date of birth", required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("reference"),
            Field("date_of_birth"),
            Field.text("postcode"),
            Submit("search", "Search", css_class="govuk-button--secondary"),
        )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("name", "reference", "date_of_birth", "postcode")):
            raise ValidationError("Enter a name, reference, date of birth or postcode")
        return data


class InboxFileForm(Form):
    application = forms.ChoiceField(
        label="Application",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the application the document belongs to"},
    )
    kind = forms.ChoiceField(
        label="Type of document",
        choices=[("", "Choose"), *EvidenceDocument.Kind.choices],
        error_messages={"required": "Select the type of document"},
    )
    reason = ReasonField(
        label="Why it is being moved",
        required=False,
        help_text="Only when moving a document filed to the wrong household or application.",
    )

    def __init__(self, *args, applications, moving: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (
                str(application.pk),
                f"{application.household_named}: application {application.reference}",
            )
            for application in applications
        ]
        self.moving = moving
        fields = [Field.radios("application"), Field.select("kind")]
        if moving:
            self.fields["reason"].required = True
            fields.append(Field.text("reason"))
        else:
            del self.fields["reason"]
        self.helper = form_helper(*fields, submit="Move the document" if moving else "File it")


class InboxForwardForm(Form):
    to = StaffChoiceField(roles=CASEWORK_STAFF, label="Colleague")
    note = forms.CharField(
        label="Note for the colleague",
        max_length=500,
        error_messages={"required": "Say why you are forwarding it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("to"), Field.text("note"), submit="Forward it")


class ContactForm(Form):
    channel = forms.ChoiceField(
        label="How",
        choices=Contact.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact was made"},
    )
    direction = forms.ChoiceField(
        label="Who made contact",
        choices=Contact.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made contact"},
    )
    day = GovDateField(label="Date")
    at = TimeOfDayField(label="Time")
    summary = forms.CharField(
        label="What was said or done",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Say what was said or done"},
    )
    application = forms.ChoiceField(label="About the application (optional)", required=False)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = {str(application.pk): application for application in applications}
        self.fields["application"].choices = [("", "Not about one application")] + [
            (pk, application.reference) for pk, application in self.applications.items()
        ]
        self.helper = form_helper(
            Field.radios("channel", inline=True),
            Field.radios("direction", inline=True),
            Field("day"),
            Field.text("at"),
            Field.textarea("summary"),
            Field.select("application"),
            submit="Record the contact",
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "direction": data["direction"],
            "occurred_at": aware_moment(data["day"], data["at"]),
            "summary": data["summary"],
            "application": self.applications.get(data.get("application") or ""),
        }
