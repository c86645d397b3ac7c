"""What the residents forms share: the crispy helper, the reason field, money."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from config.forms import ReasonField, SaveButton
from config.kernel.records import REASON_MAX_LENGTH


def form_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    helper.layout = Layout(*fields, SaveButton("save", submit))
    return helper


def reason_field() -> ReasonField:
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
