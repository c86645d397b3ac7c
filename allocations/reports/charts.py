"""Bar and line charts as geometry for a server-drawn SVG (templates/reports/_chart.html).

No script and no style attribute (the CSP allows neither): the template draws with SVG
presentation attributes, and every chart carries its title, a description and the data table
beside it, so nobody needs to see the picture to have its figures.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 320
LEFT = 56  # room for the value axis labels
RIGHT = 16
TOP = 16
BOTTOM = 64  # room for the category labels
TICKS = 5
# GOV.UK Frontend's palette: dark blue, orange, green, purple, red, turquoise, brown, pink.
# Each series also has its own dash pattern, so colour is never the only difference.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#b58840", "#d53880"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6"]
LABELS_SHOWN = 12  # at most this many category labels along the axis (every nth otherwise)


@dataclass(frozen=True)
class Tick:
    value: float
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    shown_label: bool  # drawn on the axis (long series show every nth label)
    label_x: float


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str
    dash: str
    points: str  # "x,y x,y ..." for <polyline>, gaps (None) leave the point out
    dots: list[tuple[float, float, float]]  # (x, y, value) for each known value


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float


@dataclass
class Chart:
    """What the template draws. `empty` charts draw nothing but say so."""

    kind: str  # "bar" or "line"
    title: str
    description: str
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT
    ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    axis_labels: list[AxisLabel] = field(default_factory=list)
    empty: bool = True

    @property
    def label_y(self) -> int:
        return self.plot_bottom + 18


def nice_maximum(value: float) -> float:
    """The top of the value axis: the value rounded up to 1, 2, 2.5 or 5 × a power of ten, so
    the ticks read as round numbers. Zero or less gives 1 (an axis that still has a scale)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _ticks(top: float) -> list[Tick]:
    plot_height = HEIGHT - BOTTOM - TOP
    return [
        Tick(value=top * i / TICKS, y=HEIGHT - BOTTOM - plot_height * i / TICKS, label="")
        for i in range(TICKS + 1)
    ]


def _labelled_ticks(top: float) -> list[Tick]:
    return [Tick(t.value, round(t.y, 1), _number(t.value)) for t in _ticks(top)]


def _every(count: int) -> int:
    return max(1, math.ceil(count / LABELS_SHOWN))


def _y(value: float, top: float) -> float:
    plot_height = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - plot_height * value / top, 1)


def bar_chart(
    *, title: str, description: str, labels: Sequence[str], values: Sequence[float], unit: str
) -> Chart:
    """One bar per label; `values` in the same order. No labels, or all zero, is empty."""
    chart = Chart(kind="bar", title=title, description=description, unit=unit)
    if not labels or not any(values):
        return chart
    top = nice_maximum(max(values))
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / len(labels)
    every = _every(len(labels))
    chart.ticks = _labelled_ticks(top)
    chart.bars = [
        Bar(
            label=label,
            value=value,
            x=round(LEFT + slot * i + slot * 0.15, 1),
            y=_y(value, top),
            width=round(slot * 0.7, 1),
            height=round(HEIGHT - BOTTOM - _y(value, top), 1),
            shown_label=i % every == 0,
            label_x=round(LEFT + slot * (i + 0.5), 1),
        )
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
    chart.axis_labels = [AxisLabel(b.label, b.label_x) for b in chart.bars if b.shown_label]
    chart.empty = False
    return chart


def line_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    unit: str,
) -> Chart:
    """A line per (name, values) across the labels; a None value leaves a gap in the dots."""
    chart = Chart(kind="line", title=title, description=description, unit=unit)
    known = [v for _, values in series for v in values if v is not None]
    if not labels or not known or not any(known):
        return chart
    top = nice_maximum(max(known))
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(len(labels) - 1, 1)
    every = _every(len(labels))

    def x_of(i: int) -> float:
        return round(LEFT + (step * i if len(labels) > 1 else plot_width / 2), 1)

    chart.ticks = _labelled_ticks(top)
    for n, (name, values) in enumerate(series):
        dots = [(x_of(i), _y(v, top), v) for i, v in enumerate(values) if v is not None]
        chart.series.append(
            Series(
                name=name,
                values=list(values),
                colour=PALETTE[n % len(PALETTE)],
                dash=DASHES[n % len(DASHES)],
                points=" ".join(f"{x},{y}" for x, y, _ in dots),
                dots=dots,
            )
        )
    chart.axis_labels = [
        AxisLabel(label, x_of(i)) for i, label in enumerate(labels) if i % every == 0
    ]
    chart.empty = False
    return chart
