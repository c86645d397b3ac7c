"""A policy version's rules as a typed, frozen object, checked before it is published.

The stored JSON stays exactly as administrators wrote it (a published version never changes);
`Policy.from_json` reads it into typed values, refusing everything wrong with it at once, in
plain English, so a typing slip in an administrator's edit cannot silently change how
applications are scored or ranked. The defaults (the two default policies, and the settings
added after version 1 was published) are written once, in `allocations.rules.defaults`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from allocations.rules.bedrooms import BedroomStandard
from allocations.rules.dates import is_whole_number
from allocations.rules.defaults import (
    PARTNER_KINDS,
    bypass_needs_team_leader,
    decision_checklist,
    required_checks,
)
from allocations.rules.lettings import (
    LETTINGS_KEYS,
    LettingsRules,
    lettings_problems,
    lettings_rules,
)
from allocations.rules.ranking import ADVERT_RULES, TieBreaker
from allocations.rules.scoring import Criterion, PriorityScheme

POLICY_KEYS = (
    "name",
    "scheme",
    "priority_scheme",
    "lowest_band",
    "criteria",
    "tie_breakers",
    "bedroom_standard",
    "eligibility",
    "exclusions",
    "refusal_limit",
    "lapse_months",
    "renewal",
    "deposit_weeks",
    "review_days",
)

# Added after version 1 was published: a version without them uses the scheme's defaults.
OPTIONAL_POLICY_KEYS = (
    "required_checks",
    "decision_checklist",
    "need_alert_days",
    "refusal_penalty",
    "bypass_needs_team_leader",
    "own_caravan_age",
    "fixed_term_tenancies",
    *LETTINGS_KEYS,
)

# What reaching the refusal limit does: suspend for the period, or put the application in the
# lowest band for it ("a third refusal -> bottom of band for 12 months", DOMAIN).
REFUSAL_PENALTIES = ("suspend", "lowest_band")
# Days before a bedroom-need change that the case officer is told (issue 15: 28 by default).
NEED_ALERT_DAYS = 28
# Pitch scheme: the age from which a young person of the household is expected to need a
# caravan of their own (household formation, as Gypsy and Traveller accommodation assessments
# count it). The council sets it; null means the policy has no such standard and the pitch
# need is never forecast. A version published before the setting existed uses this default.
OWN_CARAVAN_AGE = 18

POLICY_SCHEMES = ("pitch", "cbl")


class PolicyError(ValueError):
    """A policy that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems: tuple[str, ...] = tuple(problems)


@dataclass(frozen=True)
class ChecklistItem:
    """An eligibility check, an exclusion or a decision-checklist clause."""

    code: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label}


@dataclass(frozen=True)
class RefusalLimit:
    """This many refused suitable offers suspend an application for so many months."""

    count: int
    suspension_months: int

    def to_json(self) -> dict[str, int]:
        return {"count": self.count, "suspension_months": self.suspension_months}


@dataclass(frozen=True)
class Renewal:
    """Renewal letters: a reminder before the renewal date, hold, then close."""

    reminder_days_before: int
    hold_after_days: int
    close_after_days: int

    def to_json(self) -> dict[str, int]:
        return {
            "reminder_days_before": self.reminder_days_before,
            "hold_after_days": self.hold_after_days,
            "close_after_days": self.close_after_days,
        }


@dataclass(frozen=True)
class Policy:
    """One policy version's rules, typed. Build it with `Policy.from_json`."""

    name: str
    scheme: str  # "pitch" | "cbl"
    priority_scheme: PriorityScheme
    lowest_band: int | None  # band schemes only
    criteria: tuple[Criterion, ...]
    tie_breakers: tuple[TieBreaker, ...]
    bedroom_standard: BedroomStandard
    eligibility: tuple[ChecklistItem, ...]
    exclusions: tuple[ChecklistItem, ...]
    refusal_limit: RefusalLimit
    lapse_months: int
    renewal: Renewal
    deposit_weeks: int
    review_days: int
    required_checks: tuple[str, ...]  # partner kinds
    decision_checklist: tuple[ChecklistItem, ...]
    bypass_needs_team_leader: bool = True
    need_alert_days: int = NEED_ALERT_DAYS
    refusal_penalty: str = "suspend"
    # Homes: whether the council lets new tenants a fixed-term (flexible) tenancy rather than
    # an introductory one (Localism Act 2011); transfers of secure tenants stay secure.
    fixed_term_tenancies: bool = False
    lettings: LettingsRules = field(default_factory=LettingsRules)
    own_caravan_age: int | None = None  # pitch scheme only (OWN_CARAVAN_AGE)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Policy:
        """The typed policy; raises PolicyError listing every problem with the data."""
        problems = policy_validate(data)
        if problems:
            raise PolicyError(problems)
        return cls(
            name=data["name"],
            scheme=data["scheme"],
            priority_scheme=PriorityScheme(data["priority_scheme"]),
            lowest_band=data["lowest_band"],
            criteria=tuple(Criterion.from_dict(item) for item in data["criteria"]),
            tie_breakers=tuple(TieBreaker(value) for value in data["tie_breakers"]),
            bedroom_standard=BedroomStandard.from_dict(data["bedroom_standard"]),
            eligibility=_items(data["eligibility"]),
            exclusions=_items(data["exclusions"]),
            refusal_limit=RefusalLimit(**data["refusal_limit"]),
            lapse_months=data["lapse_months"],
            renewal=Renewal(**data["renewal"]),
            deposit_weeks=data["deposit_weeks"],
            review_days=data["review_days"],
            required_checks=tuple(required_checks(data)),
            decision_checklist=_items(decision_checklist(data)),
            bypass_needs_team_leader=bypass_needs_team_leader(data),
            need_alert_days=data.get("need_alert_days", NEED_ALERT_DAYS),
            refusal_penalty=data.get("refusal_penalty", "suspend"),
            fixed_term_tenancies=data.get("fixed_term_tenancies", False),
            lettings=lettings_rules(data),
            own_caravan_age=(
                data.get("own_caravan_age", OWN_CARAVAN_AGE) if data["scheme"] == "pitch" else None
            ),
        )

    def to_json(self) -> dict[str, Any]:
        """The policy as stored JSON, with the optional settings written out."""
        return {
            "name": self.name,
            "scheme": self.scheme,
            "priority_scheme": self.priority_scheme.value,
            "lowest_band": self.lowest_band,
            "criteria": [criterion.to_dict() for criterion in self.criteria],
            "tie_breakers": [rule.value for rule in self.tie_breakers],
            "bedroom_standard": self.bedroom_standard.to_dict(),
            "eligibility": [item.to_json() for item in self.eligibility],
            "exclusions": [item.to_json() for item in self.exclusions],
            "refusal_limit": self.refusal_limit.to_json(),
            "lapse_months": self.lapse_months,
            "renewal": self.renewal.to_json(),
            "deposit_weeks": self.deposit_weeks,
            "review_days": self.review_days,
            "required_checks": list(self.required_checks),
            "decision_checklist": [item.to_json() for item in self.decision_checklist],
            "bypass_needs_team_leader": self.bypass_needs_team_leader,
            "need_alert_days": self.need_alert_days,
            "refusal_penalty": self.refusal_penalty,
            # Choice-based lettings settings (cycle, bid limit, connection...): cbl only.
            **(self.lettings.to_json() if self.scheme == "cbl" else {}),
            # The pitch-need standard: pitch only.
            **({"own_caravan_age": self.own_caravan_age} if self.scheme == "pitch" else {}),
            **(
                {"fixed_term_tenancies": self.fixed_term_tenancies}
                if self.fixed_term_tenancies
                else {}
            ),
        }


# Policies already read, by their rules written out (`policy_of`); a few dozen at most.
_READ: dict[str, Policy] = {}
_READ_MAX = 64


def policy_of(data: Mapping[str, Any]) -> Policy:
    """`Policy.from_json(data)`, read once for the same rules in a process: a page showing a
    policy version's criteria or required checks no longer checks and reads its whole rules
    each time (the stored rules never change; the Policy is frozen). The key is the rules
    themselves, written out, so other rules can never get a policy read before."""
    try:
        key = json.dumps(data, sort_keys=True)
    except (TypeError, ValueError):  # not JSON (rules being written): read them each time
        return Policy.from_json(data)
    policy = _READ.get(key)
    if policy is None:
        policy = Policy.from_json(data)  # raises PolicyError, and keeps nothing, when wrong
        if len(_READ) >= _READ_MAX:
            _READ.clear()
        _READ[key] = policy
    return policy


def _items(items: Sequence[Mapping[str, str]]) -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(code=item["code"], label=item["label"]) for item in items)


def policy_validate(data: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a policy, in plain English; an empty list means it can be used."""
    problems = _json_problems(data, "the policy")
    problems += [f"The policy is missing {key!r}" for key in POLICY_KEYS if key not in data]
    problems += [
        f"Unknown policy setting {key!r}"
        for key in data
        if key not in POLICY_KEYS and key not in OPTIONAL_POLICY_KEYS
    ]

    name = data.get("name")
    if "name" in data and (not isinstance(name, str) or not name.strip()):
        problems.append("The policy needs a name")
    if "scheme" in data and data["scheme"] not in POLICY_SCHEMES:
        problems.append(f"Unknown scheme {data['scheme']!r}: use 'pitch' or 'cbl'")

    priority_scheme: PriorityScheme | None = None
    if "priority_scheme" in data:
        try:
            priority_scheme = PriorityScheme(data["priority_scheme"])
        except ValueError:
            problems.append(
                f"Unknown priority scheme {data['priority_scheme']!r}: use 'points' or 'bands'"
            )
    lowest_band = data.get("lowest_band")
    if priority_scheme is PriorityScheme.BANDS and not _whole(lowest_band, 1):
        problems.append("A band scheme needs a lowest band of 1 or more")
    if priority_scheme is PriorityScheme.POINTS and lowest_band is not None:
        problems.append("A points scheme has no lowest band; leave it empty")

    # The check of each setting the policy has, in the order its problems are listed.
    part_problems: dict[str, Callable[[Any], list[str]]] = {
        "criteria": lambda value: _criteria_problems(value, priority_scheme, lowest_band),
        "tie_breakers": lambda value: _tie_breaker_problems(value, priority_scheme),
        "bedroom_standard": _bedroom_standard_problems,
        "eligibility": lambda value: _checklist_problems(value, "Eligibility check"),
        "exclusions": lambda value: _checklist_problems(value, "Exclusion"),
        "refusal_limit": lambda value: _settings_problems(
            value,
            RefusalLimit(count=1, suspension_months=0),
            "The refusal limit needs a count of 1 or more and a suspension in whole months",
        ),
        "renewal": lambda value: _settings_problems(
            value,
            Renewal(reminder_days_before=0, hold_after_days=0, close_after_days=0),
            "Renewal needs reminder_days_before, hold_after_days and close_after_days "
            "as whole numbers of days",
        ),
        "lapse_months": lambda value: _number_problems(
            value, 1, "Applications must lapse after a whole number of months"
        ),
        "deposit_weeks": lambda value: _number_problems(
            value, 0, "The deposit must be a whole number of weeks"
        ),
        "review_days": lambda value: _number_problems(
            value, 1, "The review period must be a whole number of days"
        ),
        "required_checks": _required_checks_problems,
        "decision_checklist": lambda value: _checklist_problems(value, "Decision checklist clause"),
        "bypass_needs_team_leader": lambda value: (
            []
            if isinstance(value, bool)
            else ["Whether a bypass needs a team leader's agreement must be true or false"]
        ),
        "need_alert_days": lambda value: _number_problems(
            value, 1, "Bedroom-need alerts need a whole number of days ahead"
        ),
        "own_caravan_age": lambda value: (
            []
            if value is None or (_whole(value, 14) and value <= 30)
            else [
                "The age from which a young person needs a caravan of their own must be a "
                "whole number from 14 to 30, or empty for no such standard"
            ]
        ),
        "fixed_term_tenancies": lambda value: (
            []
            if isinstance(value, bool)
            else ["Whether fixed-term tenancies are used must be true or false"]
        ),
        "refusal_penalty": lambda value: (
            []
            if value in REFUSAL_PENALTIES
            else ["The refusal penalty must be one of: " + ", ".join(REFUSAL_PENALTIES)]
        ),
    }
    for key, check in part_problems.items():
        if key in data:
            problems += check(data[key])
    problems += lettings_problems(data)
    if data.get("scheme") == "cbl" and "own_caravan_age" in data:
        problems.append("Only a pitch policy has an age for a caravan of one's own")
    return problems


def _whole(value: Any, least: int) -> bool:
    return is_whole_number(value) and value >= least


def _number_problems(value: Any, least: int, words: str) -> list[str]:
    return [] if _whole(value, least) else [f"{words} ({least} or more)"]


def _settings_problems(value: Any, least: RefusalLimit | Renewal, refusal: str) -> list[str]:
    """Named whole-number settings: exactly the fields of `least`, each at least its value."""
    minimums = least.to_json()
    if (
        isinstance(value, Mapping)
        and set(value) == set(minimums)
        and all(_whole(value[key], minimum) for key, minimum in minimums.items())
    ):
        return []
    return [refusal]


def _bedroom_standard_problems(value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return ["The bedroom standard must be a set of named settings"]
    try:
        BedroomStandard.from_dict(value)
    except (TypeError, ValueError) as error:
        return [str(error)]
    return []


def _required_checks_problems(value: Any) -> list[str]:
    if isinstance(value, list) and all(kind in PARTNER_KINDS for kind in value):
        return []
    return ["Required checks must be a list of partner types: " + ", ".join(PARTNER_KINDS)]


def _criteria_problems(
    criteria: Any, priority_scheme: PriorityScheme | None, lowest_band: Any
) -> list[str]:
    if not isinstance(criteria, list):
        return ["The criteria must be a list"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(criteria, start=1):
        if not isinstance(item, Mapping) or set(item) != {"code", "label", "points", "band"}:
            problems.append(f"Criterion {index} needs exactly code, label, points and band")
            continue
        code = item["code"]
        if not isinstance(code, str) or not code:
            problems.append(f"Criterion {index} needs a code")
            continue
        if code in seen:
            problems.append(f"Criterion {code!r} is listed twice")
        seen.add(code)
        if not isinstance(item["label"], str) or not item["label"].strip():
            problems.append(f"Criterion {code!r} needs a label")
        if priority_scheme is PriorityScheme.POINTS and not is_whole_number(item["points"]):
            problems.append(f"Criterion {code!r} has no points in a points scheme")
        if priority_scheme is PriorityScheme.BANDS:
            band = item["band"]
            if not is_whole_number(band):
                problems.append(f"Criterion {code!r} has no band in a band scheme")
            elif is_whole_number(lowest_band) and not 1 <= band <= lowest_band:
                problems.append(
                    f"Criterion {code!r} is in band {band}, outside bands 1 to {lowest_band}"
                )
    return problems


def _tie_breaker_problems(tie_breakers: Any, priority_scheme: PriorityScheme | None) -> list[str]:
    if not isinstance(tie_breakers, list):
        return ["The tie-breakers must be a list"]
    if not tie_breakers:
        return ["The policy has no tie-breakers: applications would rank by number alone"]
    problems: list[str] = []
    known: list[TieBreaker] = []
    for value in tie_breakers:
        try:
            rule = TieBreaker(value)
        except ValueError:
            problems.append(f"Unknown tie-breaker {value!r}")
            continue
        if rule in ADVERT_RULES:
            problems.append(
                f"Tie-breaker {value!r} is applied per advert (before the tie-breakers), not listed"
            )
            continue
        if rule in known:
            problems.append(f"Tie-breaker {value!r} is listed twice")
        known.append(rule)
    # Ranking on a value the scheme never sets would silently do nothing.
    if priority_scheme is PriorityScheme.POINTS and TieBreaker.BAND in known:
        problems.append("A points scheme cannot rank by band")
    if priority_scheme is PriorityScheme.BANDS and TieBreaker.POINTS in known:
        problems.append("A band scheme cannot rank by points")
    return problems


def _checklist_problems(items: Any, title: str) -> list[str]:
    if not isinstance(items, list):
        return [f"{title}s must be a list"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not (
            isinstance(item, Mapping)
            and set(item) == {"code", "label"}
            and isinstance(item["code"], str)
            and item["code"]
            and isinstance(item["label"], str)
            and item["label"].strip()
        ):
            problems.append(f"{title} {index} needs a code and a label")
            continue
        if item["code"] in seen:
            problems.append(f"{title} {item['code']!r} is listed twice")
        seen.add(item["code"])
    return problems


def _json_problems(value: Any, where: str) -> list[str]:
    """Policies are stored as JSON: only text, whole numbers, true/false, lists, named settings
    and empty values; dates go in as ISO text."""
    if value is None or isinstance(value, str | bool | int):
        return []
    if isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in _json_problems(item, f"{where}[{index}]")
        ]
    if isinstance(value, Mapping):
        problems: list[str] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{where} has a setting named {key!r}, which is not text")
            problems += _json_problems(item, f"{where}.{key}")
        return problems
    return [f"{where} holds a {type(value).__name__}, which a stored policy cannot hold"]
