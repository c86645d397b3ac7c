"""An advert's household size and bedroom need limits, in the words applicants read."""

import pytest
from django.urls import reverse

from allocations.models import Vacancy
from tests.allocations.cbl import draft_advert


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        ({}, []),
        ({"max_bedroom_need": 1}, ["Households needing up to 1 bedroom"]),
        ({"min_bedroom_need": 0, "max_bedroom_need": 1}, ["Households needing up to 1 bedroom"]),
        ({"min_bedroom_need": 3}, ["Households needing 3 or more bedrooms"]),
        ({"min_bedroom_need": 2, "max_bedroom_need": 2}, ["Households needing 2 bedrooms"]),
        ({"min_bedroom_need": 2, "max_bedroom_need": 3}, ["Households needing 2 to 3 bedrooms"]),
        ({"min_household_size": 1, "max_household_size": 1}, ["Households of 1 person"]),
        ({"min_household_size": 2}, ["Households of 2 or more people"]),
        (
            {"max_household_size": 4, "min_bedroom_need": 2, "max_bedroom_need": 2},
            ["Households of up to 4 people", "Households needing 2 bedrooms"],
        ),
    ],
)
def test_limits_read_as_applicants_would_say_them(limits, words):
    assert Vacancy(**limits).size_and_need_words == words


def test_the_advert_page_says_who_may_bid_in_words(client, officer):
    vacancy = draft_advert(officer, bedrooms=1, min_bedroom_need=None, max_bedroom_need=1)
    client.force_login(officer)
    page = client.get(reverse("allocations:vacancy-detail", args=[vacancy.pk])).content.decode()
    assert "Households needing up to 1 bedroom" in page
    assert "Bedroom need 0 to 1" not in page
