"""A household's auto-bidding as the officer reads it: on or off, in the policy's words, and
who last changed it and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allocations import rules
from allocations.models import Application, AutoBidPreference, Vacancy


@dataclass(frozen=True)
class AutoBidState:
    preference: AutoBidPreference | None
    words: str
    changed_at: datetime | None = None
    changed_by: Any = None  # the user who made the last change (shown by name)
    change_reason: str = ""
    # The last change's history row, which the Auto-bidding page carries to the service: a
    # save made on a page opened before a later change is refused (None: nothing recorded).
    last_change_id: int | None = None


def _first_lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def auto_bid_words(preference: AutoBidPreference, lettings: rules.LettingsRules) -> str:
    """'Auto-bidding on: owed the main housing duty; areas Folkestone, Hythe; flats, houses;
    up to floor 2', or why it is not bidding."""
    if not preference.active:
        return "Not auto-bidding (stopped; the preferences are kept)"
    groups = {g["code"]: g["label"] for g in lettings.auto_bid_groups}
    label = groups.get(preference.group, "")
    if not label:
        # The auto-bidder bids only for the groups the policy in force names.
        return (
            f"Not auto-bidding: the lettings policy in force no longer names its group "
            f"({preference.group})"
        )
    local = lettings.local_connection
    # An area recorded before the policy listed its parishes, and not one of them ("Hyth"),
    # matches only an advert whose own area is so named: said, so an officer corrects it.
    areas = [
        area if local.parish_named(area) is not None else f"{area} (not a parish in the policy)"
        for area in preference.areas
    ]
    where = f"{'areas' if len(areas) > 1 else 'area'} {', '.join(areas)}" if areas else "any area"
    types = dict(Vacancy.HomeType.choices)
    homes = (
        ", ".join(f"{str(types.get(t, t)).lower()}s" for t in preference.home_types)
        if preference.home_types
        else "any type of home"
    )
    floor = preference.highest_floor
    floors = (
        "any floor"
        if floor is None
        else "ground floor only"
        if floor == 0
        else f"up to floor {floor}"
    )
    return f"Auto-bidding on: {_first_lower(label)}; {where}; {homes}; {floors}"


def auto_bid_last_change(application: Application) -> Any:
    """The latest history row of the household's auto-bid preferences, with who made it
    (None when none are recorded): one query."""
    return (
        AutoBidPreference.history.filter(application_id=application.pk)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )


def auto_bid_state(application: Application, *, lettings: rules.LettingsRules) -> AutoBidState:
    """The household's auto-bidding now, with its last change (two queries)."""
    preference = AutoBidPreference.objects.filter(application=application).first()
    if preference is None:
        return AutoBidState(preference=None, words="Not auto-bidding")
    last = auto_bid_last_change(application)
    return AutoBidState(
        preference=preference,
        words=auto_bid_words(preference, lettings),
        changed_at=last.history_date if last else None,
        changed_by=last.history_user if last else None,
        change_reason=(last.history_change_reason or "") if last else "",
        last_change_id=last.history_id if last else None,
    )
