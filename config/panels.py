"""Hooks a lower app's page offers, filled by the apps above it.

Apps depend one way (projects ← sites ← residents ← allocations), and so do their templates: a
page of a lower app never names an upper app's URLs. Where a page shows what an upper app
contributes (the unit page's "Advertise this void", the home page's sites and units), the
lower app declares a `Slot` in its `panels.py` and its template renders it:

    # sites/panels.py
    UNIT_ACTIONS = Slot("Buttons under a unit's details; the context has `unit`.")

    {# templates/sites/unit_detail.html #}
    {% load panels %}{% panels "sites.panels.UNIT_ACTIONS" unit=unit %}

and the upper app registers a panel in its AppConfig.ready: a template, rendered with the
page's context plus the tag's arguments, and optionally a function of the request and those
arguments giving more context, or None to leave the panel out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext | None = None


class Slot:
    """A place on a lower app's page; panels show in the order they were registered."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.panels: list[Panel] = []

    def register(self, *, template: str, context: PanelContext | None = None) -> None:
        panel = Panel(template=template, context=context)
        if panel not in self.panels:  # ready() may run twice (tests, reloads)
            self.panels.append(panel)

    def contexts(self, request: HttpRequest | None, **kwargs: Any) -> list[tuple[str, dict]]:
        """(template, extra context) for each panel that shows."""
        shown = []
        for panel in self.panels:
            extra = panel.context(request, **kwargs) if panel.context else {}
            if extra is not None:
                shown.append((panel.template, {**kwargs, **extra}))
        return shown
