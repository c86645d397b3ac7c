"""The benchmark's table (benchmark_all): a row of samples with its goal, and the table."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Row:
    name: str
    goal: str
    samples: list[float] = field(default_factory=list)
    unit: str = "×"
    passes: Callable[[float], bool] | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def result(self) -> str:
        if not self.samples or self.passes is None:
            return self.note or "–"
        return "PASS" if self.passes(self.median) else "FAIL"

    def cells(self) -> list[str]:
        def fmt(value: float) -> str:
            return f"{value:.2f}{self.unit}" if self.unit == "×" else f"{value:.0f} {self.unit}"

        if not self.samples:
            return [self.name, "–", "–", "–", self.goal, self.note or "not measured"]
        return [
            self.name,
            fmt(min(self.samples)),
            fmt(self.median),
            fmt(max(self.samples)),
            self.goal,
            self.result,
        ]

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("passes")
        data.update(median=self.median, result=self.result)
        return data


def table(rows: list[Row]) -> str:
    headers = ["measurement", "min", "median", "max", "goal", "result"]
    lines = [headers, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(cells) for cells in lines[1:])])


def at_most(limit: float) -> Callable[[float], bool]:
    return lambda value: value <= limit
