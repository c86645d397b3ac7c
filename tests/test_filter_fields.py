"""The change log's filter fields, written without crispy (config/templatetags/govuk_fields.py),
are crispy-forms-gds's markup to the attribute: labels, errors and their ids, aria-describedby
and aria-invalid, error classes, and the values kept after a failed filter."""

import re

import pytest
from django.template import Context, Template
from django.utils.html import escape

from config.forms import ChangeLogFilterForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
OURS = Template(
    "{% load govuk_fields %}"
    "{% if date %}{% date_field field %}{% else %}{% select_field field %}{% endif %}"
)


def _normalised(html: str) -> str:
    """Whitespace between tags and inside a text node's ends does not change the page."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _date(prefix: str, day: str = "", month: str = "", year: str = "") -> dict:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"record_type": "residents.household", **_date("date_from", "1", "2", "2024")},
        {**_date("date_from", "1", "2", "2024"), **_date("date_to", "3", "4", "2025")},
        _date("date_from", "31", "2", "2024"),  # not a real date
        {**_date("date_from", "1", "2", "2025"), **_date("date_to", "1", "1", "2024")},
        _date("date_from", "1", "", "2025"),  # a part missing
        _date("date_to", '"><b>x', "<i>", "20'25"),  # every part refused, escaped
        _date("date_from", "1", "1", "1800"),  # implausible
        _date("date_from", " 01 ", "02", "2024"),
        {"person": "abc", "record_type": "bogus"},
        {"person": "999999", "record_type": "<script>"},
        {"person": "\"x'"},
    ],
)
def test_the_filter_fields_are_crispys_markup(data):
    people = UserFactory.create_batch(2, first_name="O'Brien & <Co>")
    if data is not None and "person" not in data:
        data = {**data, "person": str(people[0].pk)}
    form = ChangeLogFilterForm(data)
    if data is not None:
        form.is_valid()
    for name in ("person", "record_type", "date_from", "date_to"):
        date = name.startswith("date")
        crispy = CRISPY.render(Context({"field": form[name]}))
        ours = OURS.render(Context({"field": form[name], "date": date}))
        assert _normalised(ours) == _normalised(crispy), name
    # A space that shows: "Error:" and the message are read as two words.
    for name, errors in form.errors.items():
        ours = OURS.render(Context({"field": form[name], "date": name.startswith("date")}))
        for message in errors:
            assert f"Error:</span> {escape(message)}" in ours
