"""The kernel's input-cleaning layer (config/kernel/inputs.py): no input gives a 500, and a
refused input writes nothing."""

import importlib
import pkgutil
from datetime import date, timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from allocations.forms.lettings import VacancyForm
from allocations.models import Application, PolicyVersion
from config.kernel.inputs import (
    BIRTH,
    TENANCY,
    CleanInputMixin,
    json_bounded,
    json_depth,
    query_id,
)
from residents.forms.licences import LicenceForm
from sites.models import Site
from tests.allocations.factories import ApplicationFactory, pitch_policy
from tests.factories import LicenceFactory, UnitFactory
from tests.sites.test_views import SITE_FORM

pytestmark = pytest.mark.django_db

APPS = ["allocations", "residents", "sites", "census", "projects", "config"]


def _project_forms() -> set[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in module.name for part in (".settings", ".migrations", ".management")):
                continue
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        form
        for form in subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in APPS and form.__module__ != "config.forms"
    }


def test_every_form_in_the_project_is_built_on_the_kernels_input_layer():
    found = _project_forms()
    assert len(found) > 50  # the walk found the forms
    outside = sorted(
        f"{form.__module__}.{form.__name__}"
        for form in found
        if not issubclass(form, CleanInputMixin)
    )
    assert not outside, "Build these on config.forms.Form or ModelForm: " + ", ".join(outside)


# -- GET filters ------------------------------------------------------------------------------


def test_a_nul_byte_in_the_applications_reference_filter_is_refused_saying_why(client, officer):
    ApplicationFactory()
    client.force_login(officer)
    response = client.get(reverse("allocations:application-list") + "?reference=%00")
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert "reference" in response.content.decode()


def test_a_nul_byte_in_the_site_pages_status_filter_is_refused_saying_why(client, officer):
    unit = UnitFactory()
    client.force_login(officer)
    response = client.get(reverse("sites:site-detail", args=[unit.site_id]) + "?status=%00")
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_other_control_characters_in_any_parameter_are_refused_and_plain_text_is_not(
    client, officer
):
    client.force_login(officer)
    url = reverse("sites:site-list")
    for bad in ("%1b", "%7f", "%c2%85", "%08"):
        assert client.get(f"{url}?q=a{bad}b").status_code == 400, bad
        assert client.get(f"{url}?a{bad}=1").status_code == 400, bad
    assert client.get(f"{url}?q=Marsh%20Road%09%C3%A9%F0%9F%8F%A1").status_code == 200


@pytest.mark.parametrize(
    "typed, expected",
    [("42", 42), (" 42 ", 42), ("2147483647", 2_147_483_647), ("2147483648", None)]
    + [(bad, None) for bad in ("", None, "²", "٣", "4²", "-1", "1.0", "1e3", "9" * 400)],
)
def test_an_id_in_a_query_string_is_ascii_digits_within_a_database_integer(typed, expected):
    assert query_id(typed) == expected


def test_superscript_and_other_script_digits_in_an_id_filter_are_ignored_not_a_500(
    client, officer, auditor
):
    # "²".isdigit() is true and int("²") raises: each of these pages was a 500.
    licence = LicenceFactory()
    client.force_login(officer)
    applications = client.get(reverse("allocations:application-list") + "?household=%C2%B2")
    assert applications.status_code == 200
    breach = client.get(reverse("residents:breach-create", args=[licence.pk]) + "?visit=%C2%B2")
    assert breach.status_code == 200
    client.force_login(auditor)
    assert client.get(reverse("records-viewed") + "?person=%C2%B2").status_code == 200


# -- Forms: control characters ----------------------------------------------------------------


def test_a_control_character_in_a_posted_field_is_a_form_error_and_nothing_is_saved(
    client, officer
):
    client.force_login(officer)
    response = client.post(reverse("sites:site-create"), SITE_FORM | {"name": "Marsh\x00 Road"})
    assert response.status_code == 400
    assert "Name contains a character that cannot be used" in response.content.decode()
    response = client.post(reverse("sites:site-create"), SITE_FORM | {"town": "Sitting\x1bbourne"})
    assert "Town or city contains a character that cannot be used" in response.content.decode()
    assert not Site.objects.exists()


def test_tabs_and_new_lines_are_harmless_whitespace_and_kept(client, officer):
    client.force_login(officer)
    data = SITE_FORM | {"address_line_1": "Marsh Road\t", "name": "Marsh Road\r\n"}
    assert client.post(reverse("sites:site-create"), data).status_code == 302
    assert Site.objects.get().name == "Marsh Road"  # Django strips outer whitespace as before


# -- Forms: dates ---------------------------------------------------------------------------


def _date(name: str, day: date | tuple) -> dict:
    day, month, year = (day.day, day.month, day.year) if isinstance(day, date) else day
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def test_a_twenty_digit_year_is_a_form_error_not_an_overflow(client, officer):
    client.force_login(officer)
    data = SITE_FORM | _date("opened_on", (1, 4, "9" * 20))
    response = client.post(reverse("sites:site-create"), data)
    assert response.status_code == 400
    assert "Date opened must be a real date" in response.content.decode()
    assert not Site.objects.exists()


@pytest.mark.parametrize(
    "year, message",
    [
        (1, "Date opened must be on or after 1 January 1900"),
        (1899, "Date opened must be on or after 1 January 1900"),
        (9999, "Date opened must be on or before 31 December 2100"),
        (2101, "Date opened must be on or before 31 December 2100"),
    ],
)
def test_implausible_years_are_refused_on_any_date_field(client, officer, year, message):
    client.force_login(officer)
    data = SITE_FORM | _date("opened_on", (1, 4, year))
    response = client.post(reverse("sites:site-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Site.objects.exists()


def test_a_licence_cannot_start_on_31_december_9999_nor_decades_ahead():
    reason = {"weekly_fee": "90.00", "deposit": "100.00", "reason": "New licence"}
    for start in (date(9999, 12, 31), timezone.localdate() + timedelta(days=3 * 366)):
        form = LicenceForm(reason | _date("start_date", start))
        assert not form.is_valid()
        assert form.errors["start_date"][0].startswith("Start date must be on or before ")
    assert LicenceForm(reason | _date("start_date", timezone.localdate())).is_valid()


def test_a_date_of_birth_may_not_be_in_the_future():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(forms.ValidationError, match="must be today or in the past"):
        BIRTH.check(tomorrow, "Date of birth")
    BIRTH.check(timezone.localdate(), "Date of birth")
    with pytest.raises(forms.ValidationError, match="on or after 1 January 1900"):
        BIRTH.check(date(1899, 12, 31), "Date of birth")
    TENANCY.check(date(1970, 1, 1), "Start date")
    with pytest.raises(
        forms.ValidationError, match="Start date must be on or after 1 January 1950"
    ):
        TENANCY.check(date(1949, 12, 31), "Start date")


def test_a_person_born_tomorrow_is_refused_on_the_household_search(client, officer):
    client.force_login(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("residents:household-list"), _date("date_of_birth", tomorrow))
    assert response.status_code == 400
    assert "Date of birth must be today or in the past" in response.content.decode()


# -- Forms: numbers ---------------------------------------------------------------------------


def test_a_number_too_big_for_the_database_is_a_form_error():
    form = VacancyForm({"min_household_size": "9" * 30})
    assert not form.is_valid()
    assert form.errors["min_household_size"] == ["Smallest household must be a smaller number"]


# -- JSON -------------------------------------------------------------------------------------


def test_json_depth_counts_nesting_outside_strings():
    assert json_depth('{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth('"\\"[["') == 0
    assert json_bounded('{"a": [1]}', label="The rules") == {"a": [1]}


def test_policy_rules_nested_5000_deep_are_refused_and_nothing_published(client, administrator):
    base = pitch_policy()
    before = PolicyVersion.objects.count()
    client.force_login(administrator)
    response = client.post(
        reverse("allocations:policy-publish", args=[base.pk]),
        {
            "name": base.name,
            "rules": "[" * 5000 + "]" * 5000,
            "summary_of_changes": "x",
            **_date("effective_from", (1, 1, 2030)),
        },
    )
    assert response.status_code == 400
    assert "The rules nest too deeply" in response.content.decode()
    huge = '{"a": "' + "x" * 300_000 + '"}'
    response = client.post(
        reverse("allocations:policy-publish", args=[base.pk]),
        {"name": base.name, "rules": huge, "summary_of_changes": "x"},
    )
    assert "The rules must be smaller than 200 KB" in response.content.decode()
    assert PolicyVersion.objects.count() == before
    assert Application.objects.count() == 0
