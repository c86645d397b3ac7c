"""Forms for licences, new-resident visits, breaches and the handbook: input shape only."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from config.forms import DocumentField, GovDateField, ReasonField
from residents.models import (
    Breach,
    HandbookSection,
    Licence,
    MeterReading,
    Person,
    UnauthorisedOccupant,
)
from residents.services import REASON_MAX_LENGTH
from sites.models import Site


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


def _reason() -> ReasonField:
    return ReasonField(max_length=REASON_MAX_LENGTH)


class MoneyField(forms.DecimalField):
    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            max_digits=8,
            decimal_places=2,
            min_value=0,
            error_messages={
                "required": f"Enter the {label.lower().removesuffix(' (£)')}",
                "invalid": f"{label.removesuffix(' (£)')} must be an amount, like 85.50",
            },
            **kwargs,
        )


class LicenceSearchForm(forms.Form):
    q = forms.CharField(label="Licence or household reference", required=False, max_length=20)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Licence.Status.choices]
    )


class LicenceForm(forms.Form):
    start_date = GovDateField(label="Start date")
    weekly_fee = MoneyField(label="Weekly pitch fee (£)")
    deposit = MoneyField(label="Deposit (£)")
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("start_date"),
            Field.text("weekly_fee", field_width=5),
            Field.text("deposit", field_width=5),
            Field.textarea("reason", rows=2),
            submit="Save licence",
        )


class StatementForm(forms.Form):
    given_on = GovDateField(label="Date the written statement was given")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("given_on"), submit="Record statement as given")


class WitnessField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


def _licence_officers():
    # Officers and team leaders: the roles that sign up licences (config/roles.py).
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=["officer", "team_leader"]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class SignForm(forms.Form):
    signed_on = GovDateField(label="Date signed")
    witnessed_by = WitnessField(
        queryset=None,
        label="Witnessing officer",
        empty_label="Choose an officer",
        error_messages={"required": "Select the witnessing officer"},
    )
    holders_signed = forms.BooleanField(
        label="Every licence holder has signed the agreement",
        error_messages={"required": "Confirm that every licence holder has signed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witnessed_by"].queryset = _licence_officers()
        self.helper = _helper(
            Field("signed_on"),
            Field.select("witnessed_by"),
            Field.checkbox("holders_signed"),
            submit="Record licence as signed",
        )


class EndForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the licence ending?",
        choices=[c for c in Licence.EndReason.choices if c[0] != Licence.EndReason.TRANSFER],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the licence is ending"},
    )
    notice_given_on = GovDateField(label="Date notice was given", required=False)
    end_date = GovDateField(label="End date")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].help_text = "The first day the licence no longer runs."
        self.fields["notice_given_on"].help_text = "Only when the licence holder gave notice."
        self.helper = _helper(
            Field.radios("reason", legend_size=Size.SMALL),
            Field("notice_given_on"),
            Field("end_date"),
            Field.textarea("notes", rows=3),
            submit="End licence",
        )


class OccupantAddForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        empty_label="Choose a person",
        error_messages={"required": "Select the person"},
    )
    from_date = GovDateField(label="Authorised from")

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person"].queryset = household.people.all()
        self.helper = _helper(
            Field.select("person"), Field("from_date"), submit="Add authorised occupant"
        )


class OccupantEndForm(forms.Form):
    to_date = GovDateField(label="Date they stopped living there")
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("to_date"), Field.textarea("reason", rows=2), submit="Record as left"
        )


class UnauthorisedOccupantForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter their name"}
    )
    approximate_age = forms.IntegerField(
        label="Approximate age", required=False, min_value=0, max_value=120
    )
    found_on = GovDateField(label="Date found")
    where_found = forms.CharField(
        label="Found during",
        max_length=60,
        help_text="For example: new-resident visit, census 2026.",
        error_messages={"required": "Enter when they were found"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.text("approximate_age", field_width=3),
            Field("found_on"),
            Field.text("where_found"),
            Field.textarea("notes", rows=3),
            submit="Record unauthorised occupant",
        )


class UnauthorisedOccupantUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="What has happened?",
        choices=[
            (value, label)
            for value, label in UnauthorisedOccupant.Status.choices
            if value != UnauthorisedOccupant.Status.OPEN
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened"},
    )
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("reason", rows=2),
            submit="Save",
        )


class VisitDatesForm(forms.Form):
    visited_on = GovDateField(label="Date of the visit")
    policies_issued_on = GovDateField(label="Policies issued on", required=False)
    pay_card_issued_on = GovDateField(label="Pay card issued on", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("visited_on"),
            Field("policies_issued_on"),
            Field("pay_card_issued_on"),
            Field.textarea("notes", rows=3),
            submit="Save checklist",
        )


class HandbookIssueForm(forms.Form):
    issued_on = GovDateField(label="Date the handbook was given")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("issued_on"), submit="Record handbook as issued")


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


class MeterReadingForm(forms.Form):
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
        self.helper = _helper(
            Field.radios("meter", legend_size=Size.SMALL, inline=True),
            Field.text("serial", field_width=20),
            Field.text("reading", field_width=10),
            Field("read_on"),
            Field("photo"),
            submit="Save meter reading",
        )


class BreachForm(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *Breach.Category.choices],
        error_messages={"required": "Select the category"},
    )
    observed_on = GovDateField(label="Date observed")
    description = forms.CharField(
        label="What was found",
        widget=forms.Textarea,
        error_messages={"required": "Describe what was found"},
    )
    evidence = DocumentField(
        label="Evidence, such as a photo (PDF, JPEG or PNG, up to 10 MB)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("category"),
            Field("observed_on"),
            Field.textarea("description", rows=4),
            Field("evidence"),
            submit="Report breach",
        )


class BreachUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new status"},
    )
    remedy_due_on = GovDateField(label="Remedy due by", required=False)
    reason = _reason()

    def __init__(self, *args, next_statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Breach.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in next_statuses]
        self.fields["remedy_due_on"].help_text = "Only when serving a notice to remedy."
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field("remedy_due_on"),
            Field.textarea("reason", rows=2),
            submit="Update breach",
        )


class HandbookSectionForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.all(),
        label="Site",
        required=False,
        empty_label="Common to every site",
    )
    topic = forms.ChoiceField(
        label="Topic",
        choices=HandbookSection.Topic.choices,
        error_messages={"required": "Select the topic"},
    )
    heading = forms.CharField(
        label="Heading", max_length=150, error_messages={"required": "Enter the heading"}
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea,
        help_text="Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the text"},
    )
    position = forms.IntegerField(
        label="Order", min_value=0, max_value=1000, initial=10, help_text="Lower comes first."
    )

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.select("topic"),
            Field.text("heading"),
            Field.textarea("body", rows=8),
            Field.text("position", field_width=3),
        ]
        if with_reason:
            del self.fields["site"]
            self.fields["reason"] = _reason()
            fields.append(Field.textarea("reason", rows=2))
        else:
            fields.insert(0, Field.select("site"))
        self.helper = _helper(*fields, submit="Save section")
