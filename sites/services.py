"""Every write to sites and units: validated, atomic, and recorded with who and why."""

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.kernel import records
from config.kernel.postcodes import postcode_normalise
from sites.lifecycles import UNIT_LETTING
from sites.models import Site, Unit
from sites.selectors import unit_kind_fixed_by

# The deferred constraint triggers that hold a unit's letting state against its vacancies,
# offers and agreements (installed by allocations' migration, the app that knows all three).
LETTING_CONSTRAINT = "letting_consistent"
# One reference per unit on a site (sites.Unit's Meta.constraints).
UNIT_REFERENCE_UNIQUE = "unit_reference_unique_on_site"

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
    "extra_care",
    "service_charge",
    "void_date",
    "ready_to_let_date",
    "void_reason",
    "major_repairs_date",
    "notes",
    "provider",
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
    _site_save_unique(site, by=by, reason=reason)
    return site


def _site_save_unique(
    site: Site, *, by: AbstractBaseUser, reason: str, problems: dict[str, str] | None = None
) -> None:
    """Save a new or renamed site, unless there are `problems` (told with these, all at once).
    A name or reference another site has is refused in the form's words (the model's would be
    "Site with this Name already exists"), also when the other site came after the form's own
    check; and the same (both, when both are taken) when another site took it at the same
    moment, after the check here: nothing written."""
    problems = (problems or {}) | _site_taken(site)
    if problems:
        raise ValidationError(problems)
    taken_now = partial(_site_taken, site)
    records.save_unique(
        site, by=by, reason=reason, refusals={"name": taken_now, "reference": taken_now}
    )


def _site_taken(site: Site) -> dict[str, str]:
    others = Site.objects.exclude(pk=site.pk) if site.pk else Site.objects.all()
    taken = {}
    if others.filter(name=site.name).exists():
        taken["name"] = Site.NAME_TAKEN
    if others.filter(reference=site.reference).exists():
        taken["reference"] = Site.REFERENCE_TAKEN
    return taken


@transaction.atomic
def site_update(*, site: Site, by: AbstractBaseUser, reason: str, **fields: Any) -> Site:
    _check_fields(fields, SITE_FIELDS)
    reason = records.reason_required(reason)
    _normalise_postcode(fields)
    site = Site.objects.select_for_update().get(pk=site.pk)
    closing = fields.get("status") == Site.Status.CLOSED and site.status != Site.Status.CLOSED
    named = site.name  # as it is now: a new name may be among the problems
    for name, value in fields.items():
        setattr(site, name, value)
    problems = {}
    if closing:
        # No agreement starts on a closed site: a unit part-way through a let would be stuck.
        letting = list(
            site.units.filter(status__in=Unit.LETTING_STATES)
            .select_for_update()
            .order_by("reference")
            .values_list("reference", flat=True)
        )
        if letting:
            problems["status"] = (
                f"{named} cannot close while units are being let "
                f"({', '.join(letting)}): withdraw their vacancies or finish the lets first"
            )
    _site_save_unique(site, by=by, reason=reason, problems=problems)
    return site


def _clear_fields_of_other_kind(unit: Unit) -> None:
    # A unit changed from pitch to home (or back) must not keep the other kind's details.
    if unit.is_pitch:
        unit.bedrooms = None
        unit.floor_level = None
        unit.accessibility = ""
        unit.adaptations = ""
        unit.extra_care = False
        unit.service_charge = Decimal("0")  # a pitch's services are in its pitch fee
    else:
        unit.has_amenity_block = False
        unit.amenity_block_condition = ""
        unit.has_electricity_meter = unit.has_water_meter = unit.has_gas_meter = False
        unit.max_caravans = None
    if not unit.has_amenity_block:
        unit.amenity_block_condition = ""
    if unit.status not in Unit.EMPTY_STATES:
        unit.void_date = None
        unit.ready_to_let_date = None
        unit.void_reason = ""
        unit.major_repairs_date = None


@transaction.atomic
def unit_create(
    *, site: Site, by: AbstractBaseUser, reason: str = "New unit recorded", **fields: Any
) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    if fields.get("status") in Unit.LETTING_STATES:
        raise ValidationError({"status": "A new unit is void, occupied or not available to let"})
    if site.status == Site.Status.CLOSED:
        raise ValidationError(f"{site.name} is closed: units cannot be added to it.")
    unit = Unit(site=site, **fields)
    _clear_fields_of_other_kind(unit)
    if _unit_reference_other(unit):
        raise ValidationError(_unit_reference_taken(unit))
    # Another unit given this reference on the site at the same moment, after the check
    # above: refused in the same words, nothing written.
    records.save_unique(
        unit,
        by=by,
        reason=reason,
        refusals={UNIT_REFERENCE_UNIQUE: _unit_reference_taken(unit)},
    )
    return unit


def _unit_reference_other(unit: Unit) -> bool:
    others = Unit.objects.filter(site_id=unit.site_id, reference=unit.reference)
    return (others.exclude(pk=unit.pk) if unit.pk else others).exists()


def _unit_reference_taken(unit: Unit) -> dict[str, str]:
    # On the reference field, naming the site (the model's own check would say "Unit with this
    # Site and Unit reference already exists", at the top of the form).
    return {"reference": Unit.REFERENCE_TAKEN.format(site=unit.site.name, reference=unit.reference)}


@transaction.atomic
def unit_update(*, unit: Unit, by: AbstractBaseUser, reason: str, **fields: Any) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    reason = records.reason_required(reason)
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    was, was_reference, was_kind = unit.status, unit.reference, unit.kind
    for name, value in fields.items():
        setattr(unit, name, value)
    # A pitch's licence made a home (or a home's tenancy a pitch) would lose its meters to the
    # clearing below and drop out of the census: the unit is locked, so an agreement signed or
    # drafted at the same moment waits for this one.
    if unit.kind != was_kind and (fixed_by := unit_kind_fixed_by(unit)):
        raise ValidationError({"kind": fixed_by})
    if unit.status != was and (was in Unit.LETTING_STATES or unit.status in Unit.LETTING_STATES):
        raise ValidationError(
            {
                "status": f"{unit.reference} is {Unit.Status(was).label.lower()}: its state "
                "moves with the letting (vacancy, offer, decision, agreement), not by hand"
            }
        )
    _clear_fields_of_other_kind(unit)
    if unit.reference != was_reference and _unit_reference_other(unit):
        raise ValidationError(_unit_reference_taken(unit))
    # The site's row is locked with the unit's, so another unit renumbered on this site at the
    # same moment waits for this one. A unit added at the same moment does not (adding one
    # locks no site): saved after the check above, it is refused here by the database's
    # constraint in the same words, nothing written.
    records.save_unique(
        unit,
        by=by,
        reason=reason,
        refusals={UNIT_REFERENCE_UNIQUE: _unit_reference_taken(unit)},
    )
    if unit.status != was:
        letting_check(refusal=f"{unit.reference} has a vacancy or an agreement that says otherwise")
    return unit


def letting_check(*, refusal: str) -> None:
    """Check every unit changed so far in this transaction against its vacancies, offers and
    agreements now rather than at commit, so a mismatch is refused in words, not a 500."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {LETTING_CONSTRAINT} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {LETTING_CONSTRAINT} DEFERRED")
    except IntegrityError as error:
        if LETTING_CONSTRAINT not in str(error):
            raise
        raise ValidationError(f"{refusal}.", code="letting_state") from None


@transaction.atomic
def unit_letting_move(
    *,
    unit: Unit,
    to: str,
    by: AbstractBaseUser,
    reason: str,
    void_reason: str = "",
    void_date=None,
    locked: bool = False,
) -> Unit:
    """Move a unit along the letting process (the one state every letting step reads).

    Called by the steps that change it: a vacancy created or withdrawn, an offer made,
    refused or withdrawn, an allocation approved, an agreement signed, started or ended, or a
    let that fell through. The row is locked, so two steps at once go one after the other
    (`locked`: the caller has locked it already, in this transaction, and read its site).
    The move is the system's, not typed by anyone: the unit's reference, site and kind do not
    change, so the database's keys and constraints are left to the database.
    """
    if not locked:
        unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    if unit.status == to:
        return unit
    UNIT_LETTING.move(
        unit,
        to,
        refusal=f"{unit} is {unit.get_status_display().lower()}: it cannot become "
        f"{Unit.Status(to).label.lower()}.",
    )
    if to == Unit.Status.VOID:
        unit.void_reason = void_reason or unit.void_reason or Unit.VoidReason.OTHER
        if void_date is not None or unit.void_date is None:
            unit.void_date = void_date or timezone.localdate()
        if unit.ready_to_let_date and unit.ready_to_let_date < unit.void_date:
            unit.ready_to_let_date = None
    _clear_fields_of_other_kind(unit)
    records.save(unit, by=by, reason=reason, exclude=["site"], database_checks=False)
    return unit
