import pytest
from django.core.exceptions import ValidationError

from config.kernel.records import REASON_MAX_LENGTH, reason_required, save
from sites.models import Site


def test_a_reason_is_stripped():
    assert reason_required("  Moved the boundary  ") == "Moved the boundary"


@pytest.mark.parametrize("blank", ["", "   ", None, "\n\t"])
def test_a_blank_reason_is_refused_on_the_reason_field(blank):
    with pytest.raises(ValidationError, match="Enter the reason for this change") as caught:
        reason_required(blank)
    assert list(caught.value.error_dict) == ["reason"]


def test_a_reason_at_the_limit_is_kept_and_one_longer_is_refused():
    assert reason_required("x" * REASON_MAX_LENGTH) == "x" * REASON_MAX_LENGTH
    with pytest.raises(ValidationError, match=f"{REASON_MAX_LENGTH} characters or fewer"):
        reason_required("x" * (REASON_MAX_LENGTH + 1))


@pytest.mark.django_db
def test_save_validates_and_writes_who_and_why_in_the_history(officer):
    site = Site(
        name="Hop Garden",
        reference="HG",
        kind=Site.Kind.GYPSY_TRAVELLER_SITE,
        address_line_1="1 Lane",
        town="Devizes",
        postcode="SN10 1AA",
    )
    save(site, by=officer, reason="New site recorded")
    row = site.history.get()
    assert (row.history_user, row.history_change_reason) == (officer, "New site recorded")

    site.name = ""
    with pytest.raises(ValidationError, match="This field cannot be blank"):
        save(site, by=officer, reason="Name removed")
    assert site.history.count() == 1
