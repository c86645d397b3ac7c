import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from config.kernel.records import REASON_MAX_LENGTH, reason_required, save, save_unique
from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory
from tests.races import saved_by_someone_else_first


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


# --- A save beaten to the same name or key at the same moment --------------------------------


def _site(**fields) -> Site:
    values = {
        "name": "Hop Garden",
        "reference": "HG",
        "kind": Site.Kind.GYPSY_TRAVELLER_SITE,
        "address_line_1": "1 Lane",
        "town": "Devizes",
        "postcode": "SN10 1AA",
    }
    return Site(**(values | fields))


@pytest.mark.django_db
def test_a_named_constraint_refusing_the_save_becomes_its_message_on_the_field(officer):
    site = SiteFactory()
    UnitFactory(site=site, reference="Pitch 7")
    # The service's own checks passed (left to the database here, as a second person's save
    # committed after them would be): the database's constraint has the last word.
    unit = UnitFactory.build(site=site, reference="Pitch 7")
    with pytest.raises(ValidationError) as refused:
        save_unique(
            unit,
            by=officer,
            reason="New unit recorded",
            refusals={"unit_reference_unique_on_site": {"reference": "Pitch 7 is taken"}},
            database_checks=False,
        )
    assert refused.value.message_dict == {"reference": ["Pitch 7 is taken"]}
    assert isinstance(refused.value.__cause__, IntegrityError)
    # Nothing of it written, and the transaction it ran in goes on (a savepoint was rolled back).
    assert list(site.units.values_list("reference", flat=True)) == ["Pitch 7"]
    assert Unit.history.filter(reference="Pitch 7").count() == 1


@pytest.mark.django_db
def test_a_unique_field_is_named_by_the_field_and_a_refusal_can_be_worked_out_after(officer):
    save(_site(), by=officer, reason="New site recorded")
    asked = []

    def taken() -> dict[str, str]:
        asked.append(Site.objects.count())  # after the clash: reads what is there
        return {"name": "A site with this name already exists"}

    with pytest.raises(ValidationError) as refused:
        save_unique(
            _site(reference="HG2"),
            by=officer,
            reason="New site recorded",
            refusals={"name": taken, "reference": "unused"},
            database_checks=False,
        )
    assert refused.value.message_dict == {"name": ["A site with this name already exists"]}
    assert asked == [1]
    assert Site.history.count() == 1


@pytest.mark.django_db
def test_an_integrity_error_not_named_is_raised_unchanged(officer):
    save(_site(), by=officer, reason="New site recorded")
    with pytest.raises(IntegrityError, match="sites_site_reference"):
        save_unique(
            _site(name="Other name"),
            by=officer,
            reason="New site recorded",
            refusals={"name": {"name": "A site with this name already exists"}},
            database_checks=False,
        )
    assert Site.objects.count() == 1


def test_a_save_refused_because_someone_else_saved_the_same_first(transactional_db, officer):
    # With the model's own checks on, as every service saves: the other person's site is
    # committed after this one's checks passed, just before its insert.
    with (
        saved_by_someone_else_first(Site, lambda: SiteFactory(name="Hop Garden")),
        pytest.raises(ValidationError) as refused,
    ):
        save_unique(
            _site(),
            by=officer,
            reason="New site recorded",
            refusals={"name": {"name": "A site with this name already exists"}},
        )
    assert refused.value.message_dict == {"name": ["A site with this name already exists"]}
    assert Site.objects.count() == 1
    assert not Site.objects.filter(reference="HG").exists()
