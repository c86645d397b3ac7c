"""What the allocation forms share: the crispy layout helper, times of day, staff."""

import re
from datetime import datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.forms import SaveButton
from config.roles import OFFICER, TEAM_LEADER


def form_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    helper.layout = Layout(*fields, SaveButton("save", submit))
    return helper


class TimeOfDayField(forms.CharField):
    """A time like 14:30 or 2:30pm, in plain words when it is not one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", "For example, 10:30 or 14:00")
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {str(self.label).lower()}"

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*([ap]m)?\s*", value.lower())
        if not match:
            raise ValidationError(f"Enter the {str(self.label).lower()} like 10:30 or 14:00")
        hour, minute, half = int(match[1]), int(match[2]), match[3]
        if half == "pm" and hour < 12:
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise ValidationError("Enter a real time, like 10:30 or 2:30pm")
        return time(hour, minute)


def aware_moment(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# Who may be chosen to run interviews and site visits.
CASEWORK_STAFF = (OFFICER, TEAM_LEADER)
