"""Choice-based lettings rules, pure: the weekly cycle's times, the bid limit, access
categories, parish connection tiers, auto-bid groups, qualification to join the register and
effective-date rules — each a setting of the versioned policy, with its defaults here.

Versions published before these settings existed use the defaults (as `required_checks`)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from allocations.rules.dates import is_whole_number

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DEFAULT_BID_LIMIT = 3

# The furthest tier a local connection reaches: own parish (1) or a parish next to it (2). An
# advert "only for households with a local connection" takes tiers 1 and 2 (an exempt
# household is tier 1), never 3 (elsewhere).
LOCAL_TIER = 2

# Homes4Wiltshire's week: open from Thursday 00:00 to Monday 23:59:59, UK time.
DEFAULT_CYCLE = {
    "opens_weekday": 3,
    "opens_time": "00:00:00",
    "closes_weekday": 0,
    "closes_time": "23:59:59",
    "timezone": "Europe/London",
}

# The London accessible housing register's categories (configurable per policy).
DEFAULT_ACCESS_CATEGORIES = (
    {"code": "a", "label": "wheelchair accessible throughout"},
    {"code": "b", "label": "wheelchair accessible in essential rooms"},
    {"code": "c", "label": "step-free or level access"},
    {"code": "d", "label": "minimal steps"},
    {"code": "e", "label": "ground floor or lift"},
    {"code": "f", "label": "general needs"},
)
GENERAL_NEEDS = "f"


def accessible_home_refusal(
    *, requires_accessible: bool, access_categories: list[str], access_category: str
) -> str:
    """Why a household may not have an accessible home ("" when it may): the one rule for
    placing a bid and for the close. An accessible home with its own access categories is
    judged on those instead; otherwise it is kept for households whose assessed access
    category is not general needs (a household said to need one, not yet given a category,
    is told it has not been assessed)."""
    if not requires_accessible or access_categories:
        return ""
    if not access_category:
        return (
            "This accessible home is kept for households that need one; your household's "
            "access needs have not been assessed yet."
        )
    if access_category == GENERAL_NEEDS:
        return "This accessible home is kept for households that need one."
    return ""


DEFAULT_LOCAL_CONNECTION = {
    "residence_months": 12,
    "family_years": 5,
    "work": True,
    # Each parish's neighbours (both ways are read, so each pair need be listed once).
    # A version may also list the council's parishes (`parishes`); without the list (as here,
    # and in every version published before it existed) a parish is free text.
    "adjacent_parishes": {
        "Cheriton": ["Folkestone", "Hawkinge", "Newington"],
        "Folkestone": ["Sandgate", "Hawkinge"],
        "Kingsnorth": ["Ashford", "Shadoxhurst"],
    },
    "exempt_groups": [
        {"code": "armed_forces", "label": "Serving or former members of the armed forces"},
        {"code": "care_leaver", "label": "Care leavers"},
        {"code": "fleeing_violence", "label": "People fleeing violence or abuse"},
    ],
}

DEFAULT_AUTO_BID_GROUPS = (
    {"code": "cannot_bid", "label": "Vulnerable and unable to bid for themselves"},
    {"code": "statutory_duty", "label": "Owed the main housing duty"},
)

# The qualification rule a band assessment decides: a household meeting no band criterion
# is refused registration, not put in the lowest band.
HOUSING_NEED = "housing_need"

# Wiltshire: who may join the register; each refusal says why and gives the review right.
DEFAULT_QUALIFICATION = (
    {
        "code": HOUSING_NEED,
        "label": "Has a housing need: meets at least one band criterion",
        "refusal": "You do not meet any of the housing needs in our policy, so you cannot "
        "join the register; you are not put in the lowest band instead.",
    },
    {
        "code": "area_connection",
        "label": "Has a connection to the council's area (or is exempt from the test)",
        "refusal": "You do not have a connection to our area, and you are not in a group "
        "the policy exempts from this test.",
    },
    {
        "code": "financial_limit",
        "label": "Income and savings within the policy's limit",
        "refusal": "Your household's income or savings are above the limit in our policy.",
    },
    {
        "code": "not_recently_housed",
        "label": "Not housed by the council in the last 12 months",
        "refusal": "You were housed by the council in the last 12 months.",
    },
    {
        "code": "no_deliberate_worsening",
        "label": "Has not deliberately worsened their circumstances",
        "refusal": "You made your housing circumstances worse on purpose.",
    },
)

DEFAULT_EFFECTIVE_DATE_RULES = {
    # Some schemes move the effective date to the day of a band rise; Wiltshire keeps it.
    "band_rise_moves_date": False,
    # Groups whose priority may be dated before registration, with evidence.
    "backdating_groups": [
        {"code": "armed_forces", "label": "Leaving the armed forces: the date of discharge"},
    ],
}


@dataclass(frozen=True)
class CycleTimes:
    opens_weekday: int
    opens_time: time
    closes_weekday: int
    closes_time: time
    timezone: str

    def window_from(self, opens_on: date) -> tuple[datetime, datetime]:
        """The cycle opening on `opens_on` (its opening weekday): opening and last second,
        aware in the policy's zone (so a cycle across a clock change is still exact)."""
        zone = ZoneInfo(self.timezone)
        days = (self.closes_weekday - self.opens_weekday) % 7 or 7
        opens = datetime.combine(opens_on, self.opens_time, tzinfo=zone)
        closes = datetime.combine(opens_on + timedelta(days=days), self.closes_time, tzinfo=zone)
        return opens, closes

    def next_opening_on(self, on: date) -> date:
        """The first opening day on or after `on`."""
        return on + timedelta(days=(self.opens_weekday - on.weekday()) % 7)

    def to_json(self) -> dict[str, Any]:
        return {
            "opens_weekday": self.opens_weekday,
            "opens_time": self.opens_time.isoformat(),
            "closes_weekday": self.closes_weekday,
            "closes_time": self.closes_time.isoformat(),
            "timezone": self.timezone,
        }

    def words(self) -> str:
        return (
            f"opens {WEEKDAYS[self.opens_weekday]} {self.opens_time:%H:%M}, closes "
            f"{WEEKDAYS[self.closes_weekday]} {self.closes_time:%H:%M:%S} (UK time)"
        )


@dataclass(frozen=True)
class ConnectionRules:
    residence_months: int
    family_years: int
    work: bool
    adjacent_parishes: Mapping[str, tuple[str, ...]]
    exempt_groups: tuple[Mapping[str, str], ...]
    # The council's parishes, as the policy spells them. With the list, a parish recorded for
    # a household's connection or taken by an advert must be one of them: a slip ("Hyth")
    # would otherwise silently make a household tier 3 for its own parish's homes. Without it
    # (versions published before the list existed) a parish is free text, as it always was.
    parishes: tuple[str, ...] = ()
    # Each parish's neighbours once worked out: a cycle's close asks for one advert's parish
    # once for each of its bids.
    _adjacent: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def adjacent_to(self, parish: str) -> frozenset[str]:
        """Parishes next to `parish`, read both ways, compared without case."""
        key = parish.strip().lower()
        if key not in self._adjacent:
            self._adjacent[key] = frozenset(self._neighbours(key))
        return self._adjacent[key]

    def _neighbours(self, key: str) -> set[str]:
        found: set[str] = set()
        for name, neighbours in self.adjacent_parishes.items():
            lowered = {n.strip().lower() for n in neighbours}
            if name.strip().lower() == key:
                found |= lowered
            elif key in lowered:
                found.add(name.strip().lower())
        found.discard(key)
        return found

    def parish_named(self, parish: str) -> str | None:
        """`parish` as the policy's list spells it, matched without case or extra spaces;
        None when the list does not name it. Without a list, the parish as typed."""
        if not self.parishes:
            return parish.strip()
        key = parish_key(parish)
        return next((name.strip() for name in self.parishes if parish_key(name) == key), None)

    def parish_refusal(self, parish: str | None) -> str:
        """Why a parish typed where the list applies (a connection's parish, an auto-bid
        area) is refused: "" when the list names it, when there is no list, or when nothing
        was typed (that is for the field's own check)."""
        if parish and parish.strip() and self.parish_named(parish) is None:
            return parish_not_listed(parish)
        return ""

    def exempt_label(self, code: str) -> str:
        return next((g["label"] for g in self.exempt_groups if g["code"] == code), "")

    def to_json(self) -> dict[str, Any]:
        return {
            "residence_months": self.residence_months,
            "family_years": self.family_years,
            "work": self.work,
            "adjacent_parishes": {k: list(v) for k, v in self.adjacent_parishes.items()},
            "exempt_groups": [dict(g) for g in self.exempt_groups],
            **({"parishes": list(self.parishes)} if self.parishes else {}),
        }


def parish_key(parish: str) -> str:
    """A parish as it is compared: without case, and without spaces at its ends or doubled."""
    return " ".join(parish.split()).lower()


def parish_not_listed(parish: str) -> str:
    """The refusal of a parish the policy's list of parishes does not name."""
    return f"{parish.strip()} is not a parish in the lettings policy: choose from the list"


@dataclass(frozen=True)
class Connection:
    """A household's recorded connection, as the tier rule reads it."""

    kind: str  # residence | family | work | volunteering (not counted for the tier)
    parish: str
    since: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Tier:
    tier: int
    reason: str


def months_before(on: date, months: int) -> date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on.day, last))


def connection_qualifies(
    connection: Connection, rules: ConnectionRules, on: date
) -> tuple[bool, str]:
    """Whether a connection counts on a day, and in words why or why not."""
    if connection.ended_on and connection.ended_on < on:
        return False, f"{connection.parish}: ended"
    if connection.kind == "residence":
        needed = months_before(on, rules.residence_months)
        words = f"lived in {connection.parish} for {rules.residence_months} months"
    elif connection.kind == "family":
        needed = months_before(on, 12 * rules.family_years)
        words = f"close family in {connection.parish} for {rules.family_years} years"
    elif connection.kind == "work":
        return rules.work, f"works in {connection.parish}"
    else:  # volunteering: read by local lettings plans, not a connection for the tier
        return False, f"volunteers in {connection.parish}"
    return connection.since <= needed, words


def connection_tier(
    parish: str,
    connections: Iterable[Connection],
    rules: ConnectionRules,
    *,
    on: date,
    exempt_group: str = "",
) -> Tier:
    """The household's tier for a home in `parish`: own parish 1, adjacent 2, elsewhere 3."""
    if exempt_group:
        label = rules.exempt_label(exempt_group) or exempt_group
        return Tier(1, f"Exempt from the connection test ({label}): treated as own parish")
    if not parish:
        return Tier(3, "The home has no parish recorded: elsewhere in the county")
    target = parish.strip().lower()
    adjacent = rules.adjacent_to(parish)
    best = Tier(3, f"No qualifying connection to {parish} or a parish next to it")
    for connection in connections:
        counts, words = connection_qualifies(connection, rules, on)
        if not counts:
            continue
        where = connection.parish.strip().lower()
        if where == target:
            return Tier(1, f"Own parish: {words}")
        if where in adjacent and best.tier > 2:
            best = Tier(2, f"Adjacent parish: {words}, next to {parish}")
    return best


@dataclass(frozen=True)
class LettingsRules:
    """The policy's choice-based lettings settings, typed."""

    bid_limit: int = DEFAULT_BID_LIMIT
    cycle: CycleTimes = field(default_factory=lambda: cycle_times(DEFAULT_CYCLE))
    access_categories: tuple[Mapping[str, str], ...] = DEFAULT_ACCESS_CATEGORIES
    adapted_homes_first: bool = True
    local_connection: ConnectionRules = field(
        default_factory=lambda: connection_rules(DEFAULT_LOCAL_CONNECTION)
    )
    auto_bid_groups: tuple[Mapping[str, str], ...] = DEFAULT_AUTO_BID_GROUPS
    qualification: tuple[Mapping[str, str], ...] = DEFAULT_QUALIFICATION
    effective_date_rules: Mapping[str, Any] = field(
        default_factory=lambda: dict(DEFAULT_EFFECTIVE_DATE_RULES)
    )

    def access_words(self, code: str) -> str:
        label = next((c["label"] for c in self.access_categories if c["code"] == code), "")
        return f"{code.upper()}: {label}" if label else (code.upper() or "not assessed")

    def to_json(self) -> dict[str, Any]:
        return {
            "bid_limit": self.bid_limit,
            "cycle": self.cycle.to_json(),
            "access_categories": [dict(c) for c in self.access_categories],
            "adapted_homes_first": self.adapted_homes_first,
            "local_connection": self.local_connection.to_json(),
            "auto_bid_groups": [dict(g) for g in self.auto_bid_groups],
            "qualification": [dict(q) for q in self.qualification],
            "effective_date_rules": dict(self.effective_date_rules),
        }


def cycle_times(data: Mapping[str, Any]) -> CycleTimes:
    return CycleTimes(
        opens_weekday=data["opens_weekday"],
        opens_time=time.fromisoformat(data["opens_time"]),
        closes_weekday=data["closes_weekday"],
        closes_time=time.fromisoformat(data["closes_time"]),
        timezone=data["timezone"],
    )


def connection_rules(data: Mapping[str, Any]) -> ConnectionRules:
    return ConnectionRules(
        residence_months=data["residence_months"],
        family_years=data["family_years"],
        work=bool(data["work"]),
        adjacent_parishes={k: tuple(v) for k, v in data["adjacent_parishes"].items()},
        exempt_groups=tuple(dict(g) for g in data["exempt_groups"]),
        parishes=tuple(data.get("parishes", ())),
    )


def lettings_rules(data: Mapping[str, Any]) -> LettingsRules:
    """The settings from a policy's JSON, each missing one at its default."""
    defaults = LettingsRules()
    return LettingsRules(
        bid_limit=data.get("bid_limit", defaults.bid_limit),
        cycle=cycle_times(data["cycle"]) if "cycle" in data else defaults.cycle,
        access_categories=tuple(
            dict(c) for c in data.get("access_categories", defaults.access_categories)
        ),
        adapted_homes_first=data.get("adapted_homes_first", defaults.adapted_homes_first),
        local_connection=connection_rules(data["local_connection"])
        if "local_connection" in data
        else defaults.local_connection,
        auto_bid_groups=tuple(
            dict(g) for g in data.get("auto_bid_groups", defaults.auto_bid_groups)
        ),
        qualification=tuple(dict(q) for q in data.get("qualification", defaults.qualification)),
        effective_date_rules=dict(data.get("effective_date_rules", defaults.effective_date_rules)),
    )


LETTINGS_KEYS = tuple(LettingsRules().to_json())


def lettings_problems(data: Mapping[str, Any]) -> list[str]:
    """Everything wrong with the lettings settings present in a policy's JSON."""
    problems: list[str] = []
    if "bid_limit" in data and not (is_whole_number(data["bid_limit"]) and data["bid_limit"] >= 1):
        problems.append("The bid limit must be a whole number of bids (1 or more)")
    if "cycle" in data:
        try:
            times = cycle_times(data["cycle"])
            ZoneInfo(times.timezone)
            if not (0 <= times.opens_weekday <= 6 and 0 <= times.closes_weekday <= 6):
                raise ValueError
        except (KeyError, TypeError, ValueError, LookupError):
            problems.append(
                "The cycle needs opens_weekday and closes_weekday (0 Monday to 6 Sunday), "
                "opens_time and closes_time (HH:MM:SS) and a timezone"
            )
    for key in ("access_categories", "auto_bid_groups"):
        if key in data and not _coded(data[key]):
            problems.append(f"{key.replace('_', ' ').capitalize()} need a code and a label each")
    if "qualification" in data and not _coded(data["qualification"], extra=("refusal",)):
        problems.append("Each qualification rule needs a code, a label and a refusal")
    if "local_connection" in data:
        try:
            connection_rules(data["local_connection"])
        except (KeyError, TypeError, AttributeError):
            problems.append(
                "The local connection settings need residence_months, family_years, work, "
                "adjacent_parishes and exempt_groups"
            )
        else:
            problems += parishes_problems(data["local_connection"])
    if "adapted_homes_first" in data and not isinstance(data["adapted_homes_first"], bool):
        problems.append("adapted_homes_first must be true or false")
    if "effective_date_rules" in data and not isinstance(data["effective_date_rules"], Mapping):
        problems.append("The effective date rules must be a set of named settings")
    return problems


def parishes_problems(local_connection: Mapping[str, Any]) -> list[str]:
    """What is wrong with a policy's list of parishes (none when it has no list): each a name,
    each once, and every parish the adjacency table names among them."""
    if "parishes" not in local_connection:
        return []
    parishes = local_connection["parishes"]
    if not (
        isinstance(parishes, list)
        and parishes
        and all(isinstance(name, str) and name.strip() for name in parishes)
    ):
        return [
            "The list of parishes (local_connection.parishes) must name the council's parishes, "
            "at least one; leave it out to keep parishes as free text"
        ]
    problems: list[str] = []
    listed: set[str] = set()
    for name in parishes:
        if parish_key(name) in listed:
            problems.append(f"{name.strip()} is in the list of parishes twice")
        listed.add(parish_key(name))
    named: dict[str, str] = {}
    for name, neighbours in local_connection["adjacent_parishes"].items():
        for each in [name, *(neighbours if isinstance(neighbours, list) else [])]:
            if isinstance(each, str):
                named.setdefault(parish_key(each), each.strip())
    problems += [
        f"The adjacency table names {name}, which is not in the list of parishes: correct its "
        "spelling or add it to the list"
        for key, name in named.items()
        if key not in listed
    ]
    return problems


def _coded(items: Any, extra: Sequence[str] = ()) -> bool:
    return isinstance(items, list) and all(
        isinstance(item, Mapping)
        and all(
            isinstance(item.get(key), str) and item.get(key) for key in ("code", "label", *extra)
        )
        for item in items
    )


def qualification_refusals(
    rules: Sequence[Mapping[str, str]], met: Mapping[str, bool]
) -> list[dict[str, str]]:
    """The policy's qualification rules a household does not meet, each with its refusal
    (in the policy's order, so a letter lists every reason at once)."""
    return [
        {"code": rule["code"], "label": rule["label"], "refusal": rule["refusal"]}
        for rule in rules
        if not met.get(rule["code"], False)
    ]


def backdating_group_label(rules: Mapping[str, Any], code: str) -> str:
    """The label of a group the policy lets date priority before registration; "" if none."""
    groups = rules.get("backdating_groups", [])
    return next((g["label"] for g in groups if g.get("code") == code), "")


def effective_date_on_band_change(
    *,
    effective_date: date,
    old_band: int | None,
    new_band: int | None,
    moves_on_rise: bool,
    on: date,
    on_words: str,
) -> tuple[date, str]:
    """The effective date after a band change, and why; ("", unchanged) when the band did not
    rise. A rise is to a better (lower-numbered) band. Some schemes date priority from the
    day of the rise (so a household does not jump a queue it has only just joined); others,
    Wiltshire among them, keep the date."""
    if old_band is None or new_band is None or new_band >= old_band:
        return effective_date, ""
    rise = f"band {old_band} to band {new_band} on {on_words}"
    if moves_on_rise:
        return on, f"The day the band rose ({rise}): this policy dates priority from a band rise"
    return effective_date, f"Kept when the band rose ({rise}): this policy keeps the date"
