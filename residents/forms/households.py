from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from config.forms import Form, GovDateField, ModelForm, ReasonField, SaveButton
from config.kernel.inputs import BIRTH
from config.kernel.records import REASON_MAX_LENGTH
from residents.models import Household, Person

HOUSEHOLD_FORM_FIELDS = [
    "reference",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "preferred_contact",
    "interpreter_needed",
    "interpreter_language",
    "literacy_support",
    "easy_read",
    "large_print",
    "notes",
]
PERSON_FORM_FIELDS = [
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "sex",
    "relationship",
    "partner",
    "couple_from",
    "pregnancy_due_date",
    "pregnancy_evidence",
]
SPECIAL_CATEGORY_FORM_FIELDS = [
    "ethnicity",
    "gypsy_traveller_status",
    "health_notes",
    "special_category_basis",
]
LEAD_FORM_FIELDS = [
    name for name in PERSON_FORM_FIELDS if name not in {"relationship", "partner", "couple_from"}
]

HOUSEHOLD_ERRORS = {
    "reference": {
        "required": "Enter the household reference",
        "unique": "A household with this reference already exists",
    },
    "preferred_contact": {"required": "Select how the household prefers to be contacted"},
    "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
}
PERSON_ERRORS = {
    "first_name": {"required": "Enter the first name"},
    "last_name": {"required": "Enter the last name"},
    "sex": {"required": "Select the person's sex"},
    "relationship": {"required": "Select the relationship to the lead applicant"},
    "gypsy_traveller_status": {"required": "Select the Gypsy or Traveller status"},
    "special_category_basis": {"required": "Enter the lawful basis for holding this data"},
}
DUPLICATE_CONFIRMATION = "confirm_not_duplicate"


def _person_fields_prepare(form: forms.Form, *, show_special: bool) -> None:
    """The date inputs, radios and hints that every person form shares."""
    form.fields["date_of_birth"] = GovDateField(label="Date of birth", plausible=BIRTH)
    form.fields["pregnancy_due_date"] = GovDateField(
        label="Pregnancy due date",
        required=False,
        help_text="Only for an evidenced pregnancy. For example, 27 3 2027.",
    )
    if "couple_from" in form.fields:
        form.fields["couple_from"] = GovDateField(
            label="Living as a couple from (if not already)",
            required=False,
            help_text="Only if the couple will start living together later: they share a "
            "bedroom from this day. For example, 1 3 2027.",
        )
    form.fields["sex"].choices = Person.Sex.choices
    form.fields["sex"].widget = forms.RadioSelect(choices=Person.Sex.choices)
    form.fields["sex"].help_text = "Used to work out how many bedrooms the household needs."
    if show_special:
        form.fields["ethnicity"].choices = [("", "Not recorded"), *Person.Ethnicity.choices]
        form.fields["gypsy_traveller_status"].widget = forms.RadioSelect(
            choices=Person.GypsyTravellerStatus.choices
        )
    else:
        for name in SPECIAL_CATEGORY_FORM_FIELDS:
            form.fields.pop(name, None)
    form.fields[DUPLICATE_CONFIRMATION] = forms.BooleanField(
        label="I have checked these records: this is a different person",
        required=False,
    )


def _person_layout(*, show_special: bool, with_relationship: bool) -> list:
    return [
        Field.text("first_name", field_width=20),
        Field.text("last_name", field_width=20),
        Field.text("other_names"),
        Field("date_of_birth"),
        Field.radios("sex", legend_size=Size.SMALL, inline=True),
        *(
            [Field.select("relationship"), Field.select("partner"), Field("couple_from")]
            if with_relationship
            else []
        ),
        Fieldset(
            Field("pregnancy_due_date"),
            Field.text("pregnancy_evidence"),
            legend="Pregnancy",
            legend_size=Size.SMALL,
        ),
        *(
            [
                Fieldset(
                    HTML(
                        '<p class="govuk-body">Special-category data: only roles that need it '
                        "can see it, and every viewing is logged.</p>"
                    ),
                    Field.select("ethnicity"),
                    Field.radios("gypsy_traveller_status", legend_size=Size.SMALL),
                    Field.textarea("health_notes", rows=3),
                    Field.textarea("special_category_basis", rows=2),
                    legend="Ethnicity, Traveller status and health",
                    legend_size=Size.MEDIUM,
                )
            ]
            if show_special
            else []
        ),
    ]


class DuplicateConfirmationMixin:
    """The "this is a different person" tick box, shown only when possible duplicates exist."""

    asks_duplicate_confirmation = False

    def duplicate_confirmation_ask(self, message: str | None = None) -> None:
        if not self.asks_duplicate_confirmation:
            self.asks_duplicate_confirmation = True
            # Just above the Save button: the people found (`duplicates` in the page's
            # context), then the question.
            fields = self.helper.layout.fields
            fields[-1:-1] = [
                HTML('{% include "residents/includes/possible_duplicates.html" %}'),
                Field.checkbox(DUPLICATE_CONFIRMATION),
            ]
        if message:
            # A fresh question: the box starts unticked, whatever was ticked before.
            self.data = self.data.copy()
            self.data.pop(DUPLICATE_CONFIRMATION, None)
            self.add_error(DUPLICATE_CONFIRMATION, message)

    def duplicate_confirmation_given(self) -> bool:
        return bool(self.cleaned_data.get(DUPLICATE_CONFIRMATION))


class HouseholdSearchForm(Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=160,
        help_text="Any person in the household: first, last or other names.",
    )
    reference = forms.CharField(label="Household reference", required=False, max_length=20)
    date_of_birth = GovDateField(label="Date of birth", required=False, plausible=BIRTH)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(
            cleaned.get(name) for name in ("name", "reference", "date_of_birth", "postcode")
        ):
            raise ValidationError("Enter a name, reference, date of birth or postcode to search")
        return cleaned


class SpecialCategoryViewFilterForm(Form):
    """The log of who was shown special-category data: whose (a household's people) and by
    whom, as an auditor asks it."""

    household = forms.CharField(
        label="Whose data: household reference", required=False, max_length=20
    )
    seen_by = forms.TypedChoiceField(label="Seen by", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        people = get_user_model().objects.order_by("first_name", "last_name", "username")
        self.fields["seen_by"].choices = [
            ("", "Anyone"),
            *(
                (pk, f"{first} {last}".strip() or username)
                for pk, first, last, username in people.values_list(
                    "pk", "first_name", "last_name", "username"
                )
            ),
        ]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "household_reference": self.cleaned_data["household"].strip(),
            "user_id": self.cleaned_data["seen_by"],
        }


class HouseholdForm(ModelForm):
    class Meta:
        model = Household
        fields = HOUSEHOLD_FORM_FIELDS
        error_messages = HOUSEHOLD_ERRORS

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = ReasonField(max_length=REASON_MAX_LENGTH)
        else:
            self.fields["reference"].required = False
        self.fields["preferred_contact"].widget = forms.RadioSelect(
            choices=Household.PreferredContact.choices
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            *self.household_layout(),
            *([Field.text("reason")] if with_reason else []),
            SaveButton("save", "Save household"),
        )

    @staticmethod
    def household_layout() -> list:
        return [
            Field.text("reference", field_width=10),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("phone", field_width=20, autocomplete="off"),
                Field.text("email", spellcheck="false", autocomplete="off"),
                Field.radios("preferred_contact", legend_size=Size.SMALL),
                legend="Contact details",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("interpreter_needed"),
                Field.text("interpreter_language", field_width=20),
                Field.checkbox("literacy_support"),
                Field.checkbox("easy_read"),
                Field.checkbox("large_print"),
                legend="Communication needs",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("notes", rows=3),
        ]


class HouseholdCreateForm(DuplicateConfirmationMixin, HouseholdForm):
    """A new household and its lead applicant, on one page."""

    def __init__(self, *args, show_special: bool, **kwargs):
        super().__init__(*args, **kwargs)
        lead_fields = LEAD_FORM_FIELDS + (SPECIAL_CATEGORY_FORM_FIELDS if show_special else [])
        self.fields.update(
            forms.fields_for_model(Person, fields=lead_fields, error_messages=PERSON_ERRORS)
        )
        _person_fields_prepare(self, show_special=show_special)
        self.helper.layout = Layout(
            Fieldset(
                *_person_layout(show_special=show_special, with_relationship=False),
                legend="Lead applicant",
                legend_size=Size.LARGE,
            ),
            Fieldset(*self.household_layout(), legend="Household", legend_size=Size.LARGE),
            SaveButton("save", "Save household"),
        )

    def household_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in HOUSEHOLD_FORM_FIELDS}

    def lead_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in LEAD_FORM_FIELDS + SPECIAL_CATEGORY_FORM_FIELDS
            if name in self.cleaned_data
        }


class PersonForm(DuplicateConfirmationMixin, ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS + SPECIAL_CATEGORY_FORM_FIELDS
        error_messages = PERSON_ERRORS

    def __init__(
        self,
        *args,
        household: Household,
        show_special: bool,
        with_reason: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        _person_fields_prepare(self, show_special=show_special)
        partners = household.people.order_by("first_name", "last_name")
        if self.instance.pk:
            partners = partners.exclude(pk=self.instance.pk)
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = "No partner in this household"
        self.fields["partner"].help_text = "A couple shares a bedroom."
        self.fields["relationship"].choices = [
            ("", "Select the relationship"),
            *Person.Relationship.choices,
        ]
        if with_reason:
            self.fields["reason"] = ReasonField(max_length=REASON_MAX_LENGTH)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            *_person_layout(show_special=show_special, with_relationship=True),
            *([Field.text("reason")] if with_reason else []),
            SaveButton("save", "Save person"),
        )

    def person_data(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"reason", DUPLICATE_CONFIRMATION}
        }
