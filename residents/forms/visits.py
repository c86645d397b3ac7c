"""Forms for the new-resident visit: input shape only."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from config.forms import DocumentField, Form, GovDateField
from residents.forms.common import form_helper
from residents.models import (
    MeterReading,
)


class VisitDatesForm(Form):
    visited_on = GovDateField(label="Date of the visit")
    policies_issued_on = GovDateField(label="Policies issued on", required=False)
    pay_card_issued_on = GovDateField(label="Pay card issued on", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("visited_on"),
            Field("policies_issued_on"),
            Field("pay_card_issued_on"),
            Field.textarea("notes", rows=3),
            submit="Save checklist",
        )


class HandbookIssueForm(Form):
    issued_on = GovDateField(label="Date the handbook was given")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("issued_on"), submit="Record handbook as issued")


class PhotoField(DocumentField):
    SIGNATURES = {
        content_type: signature
        for content_type, signature in DocumentField.SIGNATURES.items()
        if content_type.startswith("image/")
    }

    def clean(self, data, initial=None):
        try:
            return super().clean(data, initial)
        except forms.ValidationError as error:
            if "PDF, JPEG or PNG" in " ".join(error.messages):
                raise forms.ValidationError("The photo must be a JPEG or PNG") from None
            raise


class MeterReadingForm(Form):
    meter = forms.ChoiceField(
        label="Meter",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the meter"},
    )
    serial = forms.CharField(
        label="Meter serial number",
        max_length=40,
        error_messages={"required": "Enter the meter serial number"},
    )
    reading = forms.DecimalField(
        label="Reading",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"required": "Enter the reading", "invalid": "The reading must be a number"},
    )
    read_on = GovDateField(label="Date read")
    photo = PhotoField(label="Photo of the meter (JPEG or PNG, up to 10 MB)")

    def __init__(self, *args, meters=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(MeterReading.Meter.choices)
        self.fields["meter"].choices = [(meter, labels[meter]) for meter in meters]
        self.helper = form_helper(
            Field.radios("meter", legend_size=Size.SMALL, inline=True),
            Field.text("serial", field_width=20),
            Field.text("reading", field_width=10),
            Field("read_on"),
            Field("photo"),
            submit="Save meter reading",
        )
