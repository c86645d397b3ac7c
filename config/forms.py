"""Form pieces every app uses: GOV.UK date inputs and the "reason for change" question."""

from collections.abc import Mapping, Sequence
from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from config.kernel.files import UPLOAD_MAX_BYTES
from config.kernel.inputs import PLAUSIBLE, CleanInputMixin, DateRange
from config.kernel.people import person_name
from config.kernel.records import REASON_MAX_LENGTH, REASON_MISSING, REASON_TOO_LONG
from config.roles import ROLES, Role


class SaveButton(Submit):
    """A form's submit button. GOV.UK Frontend's button module ignores a second press within a
    second (`data-prevent-double-click`), so an impatient double click sends the form once;
    the services still refuse a true duplicate."""

    def __init__(self, name: str, value: str, **kwargs):
        kwargs.setdefault("data_module", "govuk-button")
        kwargs.setdefault("data_prevent_double_click", "true")
        super().__init__(name, value, **kwargs)


class Form(CleanInputMixin, forms.Form):
    """Every form's base: the kernel's input rules (config/kernel/inputs.py) on each field."""


class ModelForm(CleanInputMixin, forms.ModelForm):
    """Every model form's base: the kernel's input rules on each field."""


class GovDateField(DateInputField):
    """A GOV.UK date input (day, month, year) that reports impossible dates in plain words.

    `plausible` is the range of dates the field accepts (the kernel's `PLAUSIBLE`, 1900-2100,
    unless given: `BIRTH`, `TENANCY` or a `DateRange` of its own); forms built on
    config.forms.Form check it."""

    def __init__(
        self, *, label: str, required: bool = True, plausible: DateRange = PLAUSIBLE, **kwargs
    ):
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.plausible = plausible
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = f"Enter the {label.lower()} in full"

    def compress(self, data_list):
        if not data_list or all(value in (None, "") for value in data_list):
            return None
        day, month, year = data_list
        try:
            value = date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                "%(label)s must be a real date, like 27 3 2024",
                params={"label": str(self.label)},
                code="invalid",
            ) from None
        self.plausible.check(value, str(self.label))
        return value


class PoundsField(forms.DecimalField):
    """An amount in pounds and pence, £0 or more, its errors in plain words named by its label
    ("Weekly rent (£)" → "Weekly rent must be an amount in pounds, like 98.50")."""

    def __init__(
        self,
        *,
        label: str,
        required: bool = True,
        max_digits: int = 10,
        example: str = "185000",
        **kwargs,
    ):
        name = label.removesuffix(" (£)")
        super().__init__(
            label=label,
            required=required,
            max_digits=max_digits,
            decimal_places=2,
            min_value=0,
            error_messages={
                "required": f"Enter the {name.lower()}",
                "invalid": f"{name} must be an amount in pounds, like {example}",
                "min_value": f"{name} must be £0 or more",
                "max_digits": f"{name} is too large",
                "max_decimal_places": f"{name} must be in pounds and pence",
                "max_whole_digits": f"{name} is too large",
            },
            **kwargs,
        )


class ReasonField(forms.CharField):
    """Why a record is being changed: shown to auditors in the record's history."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Reason for this change")
        kwargs.setdefault("help_text", "Auditors will see this in the record's history.")
        kwargs.setdefault("max_length", REASON_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages", {"required": REASON_MISSING, "max_length": REASON_TOO_LONG}
        )
        # A box a few lines high: a reason runs to a sentence or two (up to 500 characters),
        # and a layout's `Field.textarea` draws whatever widget the field has.
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)


def staff(roles: Sequence[Role] | None = None):
    """Active people holding any of `roles` (every staff role when None), by name."""
    names = [role.name for role in (roles if roles is not None else ROLES)]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    """The one way to choose a member of staff: by name (never a username), from the roles
    that may do the work."""

    def __init__(
        self,
        *,
        label: str,
        roles: Sequence[Role] | None = None,
        required: bool = True,
        empty_label: str = "Choose",
        **kwargs,
    ):
        kwargs.setdefault("error_messages", {"required": f"Select the {label.lower()}"})
        super().__init__(
            queryset=staff(roles),
            label=label,
            required=required,
            empty_label=empty_label,
            **kwargs,
        )

    def label_from_instance(self, user) -> str:
        return person_name(user)


class ChangeLogFilterForm(Form):
    # Choices from one plain query: a ModelChoiceField reads its queryset through a server-side
    # cursor (DECLARE … WITH HOLD), which cost more than the rest of the change log page.
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    record_type = forms.ChoiceField(label="Record type", required=False)
    date_from = GovDateField(label="From", required=False)
    date_to = GovDateField(label="To", required=False)

    def __init__(self, *args, readable: list[str] | None = None, **kwargs):
        from django.contrib.auth import get_user_model

        from config.history import record_types

        super().__init__(*args, **kwargs)
        people = get_user_model().objects.order_by("first_name", "last_name", "username")
        self.fields["person"].choices = [
            ("", "Anyone"),
            *(
                (pk, f"{first} {last}".strip() or username)
                for pk, first, last, username in people.values_list(
                    "pk", "first_name", "last_name", "username"
                )
            ),
        ]
        types = record_types()
        if readable is not None:  # only the record types whose changes the reader may read
            types = [pair for pair in types if pair[0] in set(readable)]
        self.fields["record_type"].choices = [("", "Any record type"), *types]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "user_id": self.cleaned_data.get("person"),
            "record_type": self.cleaned_data.get("record_type") or None,
            "date_from": self.cleaned_data.get("date_from"),
            "date_to": self.cleaned_data.get("date_to"),
        }


def posted_data(request):
    """The POST data for a bound form, or None on GET (so an empty POST still validates)."""
    return request.POST if request.method == "POST" else None


def service_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_problems_add(form: forms.Form, problems: Mapping[str, str | Sequence[str]]) -> None:
    """A service's own refusals of what a refused form could still be read for, shown beside
    the form's errors: one submission tells every problem, not one stage at a time. A field
    the form already refused keeps its own message; the same words are never said twice."""
    said = {str(message) for errors in form.errors.values() for message in errors}
    for field, messages in problems.items():
        on = field if field in form.fields else None
        if on is not None and on in form.errors:
            continue
        for message in [messages] if isinstance(messages, str) else messages:
            if message not in said:
                form.add_error(on, message)
                said.add(message)


class DocumentField(forms.FileField):
    """An uploaded document (evidence, attachments): PDF, JPEG or PNG up to 10 MB, the type
    told by the file's first bytes — the name and the browser's word prove nothing. The
    upload gets `detected_content_type` for the service that stores it."""

    MAX_BYTES = UPLOAD_MAX_BYTES
    SIGNATURES = {
        "application/pdf": (b"%PDF-",),
        "image/jpeg": (b"\xff\xd8\xff",),
        "image/png": (b"\x89PNG\r\n\x1a\n",),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "File (PDF, JPEG or PNG, up to 10 MB)")
        kwargs.setdefault(
            "error_messages", {"required": "Choose a file", "empty": "The file is empty"}
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file must be smaller than 10 MB")
        head = upload.read(16)
        upload.seek(0)
        for content_type, signatures in self.SIGNATURES.items():
            if head.startswith(signatures) and _structure_ok(content_type, head):
                upload.detected_content_type = content_type
                return upload
        raise ValidationError("The file must be a PDF, JPEG or PNG")


def _structure_ok(content_type: str, head: bytes) -> bool:
    """A PNG's first chunk is its 13-byte header: anything else behind a PNG signature (an
    SVG, HTML) is not a PNG."""
    if content_type == "image/png":
        return head[8:16] == b"\x00\x00\x00\rIHDR"
    return True


# Django's own wording ("Ensure this value has at most 80 characters (it has 5000).") where a
# form does not give its own: plain words, once, for every field of every form.
PLAIN_ERROR_MESSAGES = {
    "max_length": "Enter %(limit_value)s characters or fewer (you entered %(show_value)s)",
    "min_length": "Enter at least %(limit_value)s characters (you entered %(show_value)s)",
    "min_value": "Enter a number that is %(limit_value)s or more",
    "max_value": "Enter a number that is %(limit_value)s or less",
    "max_digits": "Enter a number with no more than %(max)s digits",
    "max_decimal_places": "Enter a number with no more than %(max)s decimal places",
    "step_size": "Enter a multiple of %(limit_value)s",
}


def plain_error_messages() -> None:
    """Give every form field the plain wording above for what validators refuse (a field's
    own error_messages still win). Fields look their messages up by the refusal's code."""
    forms.Field.default_error_messages.update(PLAIN_ERROR_MESSAGES)
    forms.IntegerField.default_error_messages["invalid"] = "Enter a whole number, like 3"
    forms.DecimalField.default_error_messages["invalid"] = "Enter a number, like 12.50"
    forms.TimeField.default_error_messages["invalid"] = "Enter a real time, like 10:30"
    # EmailField has no messages of its own: give it its own, never Field's shared ones.
    forms.EmailField.default_error_messages = {
        "invalid": "Enter an email address in the right format, like name@example.com"
    }
