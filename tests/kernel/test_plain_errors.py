"""Django's default wording never shows through: one set of plain messages for every form."""

from django import forms

from allocations.forms.common import TimeOfDayField


class _Form(forms.Form):
    note = forms.CharField(max_length=80, required=False)
    count = forms.IntegerField(min_value=0, max_value=9, required=False)
    at = TimeOfDayField(label="Time", required=False)


def test_too_long_and_out_of_range_are_said_in_plain_words():
    form = _Form({"note": "x" * 5000, "count": "-1", "at": "25:99"})
    assert not form.is_valid()
    assert form.errors["note"] == ["Enter 80 characters or fewer (you entered 5000)"]
    assert form.errors["count"] == ["Enter a number that is 0 or more"]
    assert form.errors["at"] == ["Enter a real time, like 10:30 or 2:30pm"]
    assert _Form({"count": "12"}).errors["count"] == ["Enter a number that is 9 or less"]
    assert _Form({"count": "many"}).errors["count"] == ["Enter a whole number, like 3"]


def test_a_fields_own_message_still_wins():
    class Own(forms.Form):
        size = forms.IntegerField(min_value=1, error_messages={"min_value": "At least one"})

    assert Own({"size": "0"}).errors["size"] == ["At least one"]


def test_a_breach_moving_on_is_said_in_plain_words():
    from datetime import date

    from residents.models import Breach
    from residents.views.breaches import breach_moved_words

    served = Breach(status=Breach.Status.NOTICE_SERVED, remedy_due_on=date(2026, 12, 17))
    assert breach_moved_words(served) == (
        "A notice to remedy was served: the breach must be put right by 17 December 2026."
    )
    assert breach_moved_words(Breach(status=Breach.Status.CLOSED)) == "The breach was closed."
