"""The seller's notice form's own refusals: a discount outside 0-100% is told in plain words
(the percent sign in the message once caused a server error when Django filled in the
limit), keeping what was typed."""

import pytest

from allocations.models import ResaleCase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("101", "The discount must be 100% or less"),
        ("99999999999999999999", "The discount must be 100% or less"),
        ("-1", "The discount must be 0% or more"),
    ],
)
def test_a_discount_outside_0_to_100_percent_is_told_and_nothing_opened(
    client, officer, typed, told
):
    client.force_login(officer)
    response = client.post(
        "/allocations/resales/new/",
        {"product": "discount_market_sale", "address": "1 Elm Road", "discount_percent": typed},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert told in page and "%%" not in page
    assert "1 Elm Road" in page
    assert not ResaleCase.objects.exists()
