"""Scoring an application's priority: points, or the best band it qualifies for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PriorityScheme(StrEnum):
    POINTS = "points"
    BANDS = "bands"


@dataclass(frozen=True)
class Criterion:
    code: str  # "no_fixed_abode"
    label: str  # "No fixed abode or insecure tenure"
    points: int | None  # for points schemes
    band: int | None  # for band schemes (1 is the highest priority)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Criterion:
        return cls(
            code=data["code"], label=data["label"], points=data.get("points"), band=data.get("band")
        )

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "points": self.points, "band": self.band}


@dataclass(frozen=True)
class Score:
    points: int | None
    band: int | None
    reasons: tuple[str, ...]


def score(
    met: Iterable[str],
    *,
    criteria: Sequence[Criterion],
    scheme: PriorityScheme,
    lowest_band: int | None,
) -> Score:
    """Score the criteria an application meets under a policy.

    Points schemes add the points of every criterion met. Band schemes place the application
    in the best band it qualifies for; meeting none puts it in the lowest band. A lettings
    policy with the `housing_need` qualification rule (Wiltshire's) never gets here with
    none met: such a household is refused registration, not put in the lowest band
    (allocations.services.assessments). Reasons list every
    criterion met in the policy's order, so a letter can show the whole assessment.
    """
    scheme = PriorityScheme(scheme)
    by_code: dict[str, Criterion] = {}
    for criterion in criteria:
        if criterion.code in by_code:
            raise ValueError(f"The policy lists criterion {criterion.code!r} twice")
        by_code[criterion.code] = criterion
    met_codes = set()
    for code in met:
        if code not in by_code:
            raise ValueError(f"Unknown criterion {code!r}: it is not in this policy")
        met_codes.add(code)
    met_criteria = [criterion for criterion in criteria if criterion.code in met_codes]

    if scheme is PriorityScheme.POINTS:
        for criterion in met_criteria:
            if criterion.points is None:
                raise ValueError(f"Criterion {criterion.code!r} has no points in this policy")
        reasons = [
            f"{criterion.label}: {points_words(criterion.points)}" for criterion in met_criteria
        ]
        total = sum(criterion.points or 0 for criterion in met_criteria)
        if not reasons:
            reasons = ["No priority criteria met: 0 points"]
        return Score(points=total, band=None, reasons=tuple(reasons))

    if lowest_band is None:
        raise ValueError("A band scheme needs a lowest band")
    for criterion in met_criteria:
        if criterion.band is None:
            raise ValueError(f"Criterion {criterion.code!r} has no band in this policy")
    if not met_criteria:
        return Score(
            points=None,
            band=lowest_band,
            reasons=(f"No priority criteria met: band {lowest_band}",),
        )
    reasons = [f"Band {criterion.band}: {criterion.label}" for criterion in met_criteria]
    best = min(criterion.band for criterion in met_criteria if criterion.band is not None)
    return Score(points=None, band=best, reasons=tuple(reasons))


def points_words(points: int | None) -> str:
    return "1 point" if points == 1 else f"{points} points"
