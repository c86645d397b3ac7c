"""The sites' demo data: the county's sites and their units, and the scale data's sites.

residents/demo.py walks these sites and puts households on them as each is made (one random
generator for the whole run, so a seed gives the same data).
"""

from datetime import date, timedelta
from decimal import Decimal

from sites import services as site_services
from sites.models import Site, Unit

DEMO_SITES = [
    # name, reference, kind, town, postcode, parish, pitches or homes
    ("Oak Lane", "GT-01", Site.Kind.GYPSY_TRAVELLER_SITE, "Ashford", "TN23 4QP", "Kingsnorth", 18),
    (
        "Willow Park",
        "GT-02",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Maidstone",
        "ME15 9RT",
        "Boughton Monchelsea",
        24,
    ),
    (
        "Hop Garden",
        "GT-03",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Canterbury",
        "CT4 7AB",
        "Chartham",
        12,
    ),
    (
        "Marsh Road",
        "GT-04",
        Site.Kind.GYPSY_TRAVELLER_SITE,
        "Sittingbourne",
        "ME10 3SX",
        "Milton",
        15,
    ),
    (
        "Bramble Way stopping place",
        "SP-01",
        Site.Kind.STOPPING_PLACE,
        "Dover",
        "CT16 2HN",
        "Whitfield",
        6,
    ),
    (
        "Elm Court estate",
        "HS-01",
        Site.Kind.HOUSING_SCHEME,
        "Folkestone",
        "CT19 5DE",
        "Cheriton",
        30,
    ),
]

TOWNS = [
    "Ashford",
    "Maidstone",
    "Canterbury",
    "Dover",
    "Folkestone",
    "Tonbridge",
    "Sevenoaks",
    "Margate",
    "Ramsgate",
    "Deal",
    "Faversham",
    "Whitstable",
]

SCALE_PREFIX = "SC-"
SCALE_SITES = 12  # per unit of scale


def sites_loaded() -> bool:
    return Site.objects.filter(reference="GT-01").exists()


def demo_site_create(rng, spec, *, by) -> tuple[Site, list[Unit]]:
    """One of DEMO_SITES, with its units."""
    name, reference, kind, town, postcode, parish, count = spec
    site = site_services.site_create(
        by=by,
        reason="Demo data",
        name=name,
        reference=reference,
        kind=kind,
        address_line_1=f"{rng.randint(1, 90)} {name.split()[0]} Road",
        town=town,
        postcode=postcode,
        parish=parish,
        opened_on=date(rng.randint(1975, 2015), rng.randint(1, 12), 1),
    )
    return site, units_create(rng, site, count, by=by)


def scale_sites_loaded() -> int:
    return Site.objects.filter(reference__startswith=SCALE_PREFIX).count()


def scale_site_create(rng, index: int, *, by) -> tuple[Site, list[Unit]]:
    """The index-th benchmark site: every fourth a housing estate of 55 homes, the rest pitch
    sites of 16 pitches."""
    housing = index % 4 == 3
    site = site_services.site_create(
        by=by,
        reason="Benchmark data",
        name=f"{rng.choice(TOWNS)} {'estate' if housing else 'site'} {index + 1:04d}",
        reference=f"{SCALE_PREFIX}{index + 1:04d}",
        kind=Site.Kind.HOUSING_SCHEME if housing else Site.Kind.GYPSY_TRAVELLER_SITE,
        address_line_1=f"{rng.randint(1, 200)} Station Road",
        town=rng.choice(TOWNS),
        postcode=f"ME{rng.randint(1, 20)} {rng.randint(1, 9)}AB",
    )
    return site, units_create(rng, site, 55 if housing else 16, by=by)


def scale_totals() -> str:
    return f"{Site.objects.count()} sites, {Unit.objects.count()} units"


def units_create(rng, site: Site, count: int, *, by) -> list[Unit]:
    units = []
    for number in range(1, count + 1):
        status = rng.choices([Unit.Status.OCCUPIED, Unit.Status.VOID], weights=[9, 1])[0]
        void = {}
        if status == Unit.Status.VOID:
            void_date = date(2026, 11, 1) - timedelta(days=rng.randint(3, 120))
            void = {
                "void_date": void_date,
                "ready_to_let_date": void_date + timedelta(days=rng.randint(14, 60)),
                "void_reason": rng.choice(
                    [r for r, _ in Unit.VoidReason.choices if r not in ("new_build", "eviction")]
                ),
            }
        if site.kind == Site.Kind.HOUSING_SCHEME:
            fields = {
                "reference": f"Flat {number}",
                "kind": Unit.Kind.HOME,
                "bedrooms": rng.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                "floor_level": rng.randint(0, 3),
                "accessibility": rng.choice(["c", "d", "e", "e", "e"]),
                "weekly_charge": Decimal(rng.randint(9000, 14000)) / 100,
            }
        else:
            has_block = rng.random() < 0.9
            fields = {
                "reference": f"Pitch {number}",
                "kind": Unit.Kind.PITCH,
                "has_amenity_block": has_block,
                "amenity_block_condition": rng.choice(["good", "good", "fair", "poor"])
                if has_block
                else "",
                "has_electricity_meter": True,
                "has_water_meter": rng.random() < 0.7,
                "has_gas_meter": rng.random() < 0.2,
                "max_caravans": rng.choice([1, 2, 2, 3]),
                "weekly_charge": Decimal(rng.randint(6500, 9500)) / 100,
            }
        unit = site_services.unit_create(
            site=site, by=by, reason="Demo data", status=status, **fields, **void
        )
        units.append(unit)
    return units
