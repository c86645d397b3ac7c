"""Checking a policy before it is published."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from allocations.rules.bedrooms import BedroomStandard
from allocations.rules.dates import is_whole_number
from allocations.rules.defaults import PARTNER_KINDS
from allocations.rules.ranking import TieBreaker
from allocations.rules.scoring import PriorityScheme

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

# Added after version 1 was published: a version without them uses the defaults above.
OPTIONAL_POLICY_KEYS = ("required_checks", "decision_checklist")

POLICY_SCHEMES = ("pitch", "cbl")


def policy_validate(data: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a policy, in plain English; an empty list means it can be used.

    Checked before a policy version is saved, so a typing slip in an administrator's edit
    cannot silently change how applications are scored or ranked.
    """
    problems: list[str] = []
    problems += _json_problems(data, "the policy")
    missing = [key for key in POLICY_KEYS if key not in data]
    problems += [f"The policy is missing {key!r}" for key in missing]
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
    if priority_scheme is PriorityScheme.BANDS and (
        not is_whole_number(lowest_band) or lowest_band < 1
    ):
        problems.append("A band scheme needs a lowest band of 1 or more")
    if priority_scheme is PriorityScheme.POINTS and lowest_band is not None:
        problems.append("A points scheme has no lowest band; leave it empty")

    if "criteria" in data:
        problems += _criteria_problems(data["criteria"], priority_scheme, lowest_band)
    if "tie_breakers" in data:
        problems += _tie_breaker_problems(data["tie_breakers"], priority_scheme)
    if "bedroom_standard" in data:
        try:
            if not isinstance(data["bedroom_standard"], Mapping):
                raise ValueError("The bedroom standard must be a set of named settings")
            BedroomStandard.from_dict(data["bedroom_standard"])
        except (TypeError, ValueError) as error:
            problems.append(str(error))
    for key, title in (("eligibility", "Eligibility check"), ("exclusions", "Exclusion")):
        if key in data:
            problems += _checklist_problems(data[key], title)

    refusal_limit = data.get("refusal_limit")
    if "refusal_limit" in data and not (
        isinstance(refusal_limit, Mapping)
        and set(refusal_limit) == {"count", "suspension_months"}
        and is_whole_number(refusal_limit["count"])
        and refusal_limit["count"] >= 1
        and is_whole_number(refusal_limit["suspension_months"])
        and refusal_limit["suspension_months"] >= 0
    ):
        problems.append(
            "The refusal limit needs a count of 1 or more and a suspension in whole months"
        )
    renewal = data.get("renewal")
    renewal_keys = {"reminder_days_before", "hold_after_days", "close_after_days"}
    if "renewal" in data and not (
        isinstance(renewal, Mapping)
        and set(renewal) == renewal_keys
        and all(is_whole_number(renewal[key]) and renewal[key] >= 0 for key in renewal_keys)
    ):
        problems.append(
            "Renewal needs reminder_days_before, hold_after_days and close_after_days "
            "as whole numbers of days"
        )
    for key, words, least in (
        ("lapse_months", "Applications must lapse after a whole number of months", 1),
        ("deposit_weeks", "The deposit must be a whole number of weeks", 0),
        ("review_days", "The review period must be a whole number of days", 1),
    ):
        if key in data and (not is_whole_number(data[key]) or data[key] < least):
            problems.append(f"{words} ({least} or more)")
    checks = data.get("required_checks")
    if "required_checks" in data and not (
        isinstance(checks, list) and all(kind in PARTNER_KINDS for kind in checks)
    ):
        problems.append(
            "Required checks must be a list of partner types: " + ", ".join(PARTNER_KINDS)
        )
    if "decision_checklist" in data:
        problems += _checklist_problems(data["decision_checklist"], "Decision checklist clause")
    return problems


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
