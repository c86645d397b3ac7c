"""Pages name a household by its lead applicant's name with its reference, never by the bare
reference alone: the household's own page, the licence page and the unit page's agreement
being prepared."""

import re

import pytest
from django.urls import reverse

from tests.residents.helpers import draft

pytestmark = pytest.mark.django_db


def _h1(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)


def test_the_household_licence_and_unit_pages_name_the_household(client, officer):
    licence = draft(officer)
    household = licence.household
    named = f"Mary Lee ({household.reference})"
    client.force_login(officer)
    page = client.get(reverse("residents:household-detail", args=[household.pk])).content.decode()
    assert named in _h1(page)
    page = client.get(reverse("residents:licence-detail", args=[licence.pk])).content.decode()
    assert named in page
    page = client.get(reverse("sites:unit-detail", args=[licence.unit_id])).content.decode()
    assert f"for household {named}" in page


def test_the_household_and_person_forms_name_the_household(client, officer):
    household = draft(officer).household
    named = f"Mary Lee ({household.reference})"
    client.force_login(officer)
    for url in (
        reverse("residents:household-edit", args=[household.pk]),
        reverse("residents:person-create", args=[household.pk]),
        reverse("residents:person-edit", args=[household.people.get(first_name="Tom").pk]),
    ):
        assert named in client.get(url).content.decode(), url
