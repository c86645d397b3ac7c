"""Every write to sites and units: validated, atomic, and recorded with who and why."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from config.kernel import records
from config.kernel.postcodes import postcode_normalise
from sites.models import Site, Unit

SITE_FIELDS = {
    "name",
    "reference",
    "kind",
    "status",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "parish",
    "opened_on",
    "notes",
}
UNIT_FIELDS = {
    "reference",
    "kind",
    "status",
    "weekly_charge",
    "has_amenity_block",
    "amenity_block_condition",
    "has_electricity_meter",
    "has_water_meter",
    "has_gas_meter",
    "max_caravans",
    "bedrooms",
    "floor_level",
    "accessibility",
    "adaptations",
    "void_date",
    "ready_to_let_date",
    "void_reason",
    "notes",
}


def _check_fields(given: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _normalise_postcode(fields: dict[str, Any]) -> None:
    if fields.get("postcode"):
        fields["postcode"] = postcode_normalise(fields["postcode"])


@transaction.atomic
def site_create(*, by: AbstractBaseUser, reason: str = "New site recorded", **fields: Any) -> Site:
    _check_fields(fields, SITE_FIELDS)
    _normalise_postcode(fields)
    site = Site(**fields)
    records.save(site, by=by, reason=reason)
    return site


@transaction.atomic
def site_update(*, site: Site, by: AbstractBaseUser, reason: str, **fields: Any) -> Site:
    _check_fields(fields, SITE_FIELDS)
    reason = records.reason_required(reason)
    _normalise_postcode(fields)
    site = Site.objects.select_for_update().get(pk=site.pk)
    for name, value in fields.items():
        setattr(site, name, value)
    records.save(site, by=by, reason=reason)
    return site


def _clear_fields_of_other_kind(unit: Unit) -> None:
    # A unit changed from pitch to home (or back) must not keep the other kind's details.
    if unit.kind == Unit.Kind.PITCH:
        unit.bedrooms = None
        unit.floor_level = None
        unit.accessibility = ""
        unit.adaptations = ""
    else:
        unit.has_amenity_block = False
        unit.amenity_block_condition = ""
        unit.has_electricity_meter = unit.has_water_meter = unit.has_gas_meter = False
        unit.max_caravans = None
    if not unit.has_amenity_block:
        unit.amenity_block_condition = ""
    if unit.status != Unit.Status.VOID:
        unit.void_date = None
        unit.ready_to_let_date = None
        unit.void_reason = ""


@transaction.atomic
def unit_create(
    *, site: Site, by: AbstractBaseUser, reason: str = "New unit recorded", **fields: Any
) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    if site.status == Site.Status.CLOSED:
        raise ValidationError(f"{site.name} is closed: units cannot be added to it.")
    unit = Unit(site=site, **fields)
    _clear_fields_of_other_kind(unit)
    records.save(unit, by=by, reason=reason)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: AbstractBaseUser, reason: str, **fields: Any) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    reason = records.reason_required(reason)
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    for name, value in fields.items():
        setattr(unit, name, value)
    _clear_fields_of_other_kind(unit)
    records.save(unit, by=by, reason=reason)
    return unit
