"""The database itself keeps one live licence per unit, whatever the code above it does."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from residents.models import Licence
from residents.services.licence_common import licence_save
from tests.factories import LicenceFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_two_open_ended_live_licences_on_one_unit_are_refused():
    unit = UnitFactory()
    LicenceFactory(unit=unit, start_date=date(2024, 1, 1))
    with pytest.raises(IntegrityError, match="one_live_licence_per_unit"), transaction.atomic():
        LicenceFactory(unit=unit, start_date=date(2025, 6, 1))


def test_a_licence_overlapping_an_ended_one_is_refused_but_one_starting_on_its_end_is_not():
    unit = UnitFactory()
    LicenceFactory(
        unit=unit,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 3, 1),
        status="ended",
        end_reason="notice",
    )
    with pytest.raises(IntegrityError, match="one_live_licence_per_unit"), transaction.atomic():
        LicenceFactory(unit=unit, start_date=date(2024, 2, 28))
    # The end date is the first day it no longer runs: the next licence may start that day.
    LicenceFactory(unit=unit, start_date=date(2024, 3, 1))


def test_drafts_do_not_take_part_and_other_units_are_unaffected():
    unit = UnitFactory()
    live = LicenceFactory(unit=unit, start_date=date(2024, 1, 1))
    drafts = [
        LicenceFactory(unit=unit, start_date=date(2024, 1, 1), status="draft") for _ in range(2)
    ]
    elsewhere = LicenceFactory(unit=UnitFactory(), start_date=date(2024, 1, 1))
    assert set(Licence.objects.values_list("pk", flat=True)) == {
        live.pk,
        *(draft.pk for draft in drafts),
        elsewhere.pk,
    }
    # The control: the same dates on the same unit are refused once the licence is not a draft.
    with pytest.raises(IntegrityError, match="one_live_licence_per_unit"), transaction.atomic():
        LicenceFactory(unit=unit, start_date=date(2024, 1, 1))
    assert Licence.objects.filter(unit=unit).exclude(status="draft").get() == live


def test_an_ended_licence_needs_its_end_date_and_reason():
    with pytest.raises(IntegrityError, match="ended_licence_has"), transaction.atomic():
        LicenceFactory(status="ended", end_date=date(2026, 1, 1), start_date=date(2025, 1, 1))


def test_a_licence_saved_over_a_live_one_is_refused_in_words_and_nothing_is_written(officer):
    # The services' own overlap check passed (another licence signed at the same moment): the
    # exclusion constraint has the last word, in words, not a server error.
    unit = UnitFactory()
    LicenceFactory(unit=unit, start_date=date(2024, 1, 1))
    draft = LicenceFactory(unit=unit, start_date=date(2025, 6, 1), status="draft")
    draft.status = Licence.Status.SIGNED
    with pytest.raises(ValidationError, match="only one licence can run") as refused:
        licence_save(draft, by=officer, reason="Licence signed")
    assert refused.value.error_list[0].code == "overlapping_licence"
    draft.refresh_from_db()
    assert draft.status == Licence.Status.DRAFT
    assert draft.history.count() == 1
