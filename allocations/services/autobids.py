"""The auto-bidder: for households the policy flags (vulnerable people who cannot bid, those
owed a statutory duty) with recorded preferences, bids for the best-matching adverts of a
cycle within the bid limit when it opens — through `place_bid`, each with why it matched."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import (
    Application,
    AutoBidPreference,
    Bid,
    BiddingCycle,
    Scheme,
    Vacancy,
)
from allocations.selectors.policies import policy_in_force
from allocations.services.bids import place_bid
from config.kernel.records import save


def _match(preference: AutoBidPreference, advert: Vacancy) -> tuple[tuple, str] | None:
    """How well an advert fits the preferences (smaller is better) and why; None if not."""
    reasons = []
    area_rank = 0
    if preference.areas:
        wanted = [a.strip().lower() for a in preference.areas]
        where = {advert.area.strip().lower(), advert.parish.strip().lower()} - {""}
        hits = [i for i, a in enumerate(wanted) if a in where]
        if not hits:
            return None
        area_rank = hits[0]
        reasons.append(f"area {preference.areas[area_rank]} (choice {area_rank + 1})")
    if preference.home_types:
        if advert.home_type not in preference.home_types:
            return None
        reasons.append(f"a {advert.get_home_type_display().lower()}")
    floor = advert.unit.floor_level
    if preference.highest_floor is not None:
        if floor is None:
            # A household that cannot climb is not bid for a home of unknown floor unless it
            # is entered at ground level, or its access category says ground floor or lift.
            level = _level_entry(advert)
            if not level:
                return None
            reasons.append(f"floor not recorded, but {level}")
        elif floor > preference.highest_floor:
            return None
        else:
            reasons.append(f"floor {floor}")
    access = preference.application.access_category
    if advert.access_categories and access:
        reasons.append(f"access category {access.upper()}")
    exact_access = 0 if access and access in advert.access_categories else 1
    return (exact_access, area_rank, floor or 0, advert.pk), "Matches " + ", ".join(
        reasons or ["every advert (no preferences recorded)"]
    )


# Homes entered at ground level, and the access categories (ground floor or lift, and every
# one above it) that promise a household need not climb to the door.
_GROUND_LEVEL_TYPES = (Vacancy.HomeType.HOUSE, Vacancy.HomeType.BUNGALOW)
_NO_CLIMB_CATEGORIES = ("a", "b", "c", "d", "e")


def _level_entry(advert: Vacancy) -> str:
    """Why a home of unknown floor needs no climb ("" if nothing says so)."""
    if advert.home_type in _GROUND_LEVEL_TYPES:
        return f"a {advert.get_home_type_display().lower()}"
    if any(code in _NO_CLIMB_CATEGORIES for code in advert.access_categories):
        return "access category " + "/".join(c.upper() for c in advert.access_categories)
    return ""


def auto_bids_place(
    *, cycle: BiddingCycle, by: AbstractBaseUser, adverts: list[Vacancy] | None = None
) -> list[Bid]:
    """Place the auto-bids of an open cycle: for each flagged household, its best matches up to
    the bid limit (fewer if it has bid already). An advert it may not bid for is passed over,
    and so is one it has bid for before (a bid withdrawn, by the household or an officer, is
    not placed again). `adverts`: only these (one published into the cycle once open)."""
    policy = policy_in_force(scheme=Scheme.CBL, on=timezone.localdate(cycle.opens_at)).policy
    groups = {g["code"] for g in policy.lettings.auto_bid_groups}
    if adverts is None:
        adverts = list(
            Vacancy.objects.filter(cycle=cycle, status=Vacancy.Status.ADVERTISED).select_related(
                "unit"
            )
        )
    preferences = AutoBidPreference.objects.filter(
        active=True, group__in=groups, application__status=Application.Status.ACTIVE
    ).select_related("application")
    placed: list[Bid] = []
    for preference in preferences:
        application = preference.application
        placed_before = Bid.objects.filter(cycle=cycle, application=application)
        room = policy.lettings.bid_limit - placed_before.filter(withdrawn=False).count()
        if room <= 0:
            continue
        taken = set(placed_before.values_list("vacancy_id", flat=True))
        matches = sorted(
            (m, advert)
            for advert in adverts
            if advert.pk not in taken
            for m in [_match(preference, advert)]
            if m is not None
        )
        for (_, reason), advert in matches:
            if room <= 0:
                break
            try:
                placed.append(
                    place_bid(
                        application=application,
                        advert=advert,
                        channel=Bid.Channel.AUTO,
                        by=by,
                        match_reason=reason,
                    )
                )
            except ValidationError:
                continue  # not eligible for this home: try the next match
            room -= 1
    return placed


def auto_bids_place_due(*, by: AbstractBaseUser) -> list[str]:
    """The scheduled task: each open cycle's auto-bids, once (claimed with SKIP LOCKED)."""
    done: list[str] = []
    while True:
        with transaction.atomic():
            now = timezone.now().replace(microsecond=0)
            cycle = (
                BiddingCycle.objects.select_for_update(skip_locked=True)
                .filter(
                    auto_bids_placed_at__isnull=True,
                    frozen_at__isnull=True,
                    opens_at__lte=now,
                    closes_at__gte=now,
                )
                .order_by("opens_at")
                .first()
            )
            if cycle is None:
                return done
            auto_bids_place(cycle=cycle, by=by)
            cycle.auto_bids_placed_at = timezone.now()
            save(cycle, by=by, reason="Auto-bids placed")
            done.append(cycle.reference)
