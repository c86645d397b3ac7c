"""A model's lifecycle as one transition table, and the actions a page may offer now.

    APPLICATION = Lifecycle({"draft": {"submitted", "withdrawn"}, "submitted": {...}, ...})
    APPLICATION.move(application, "submitted")   # or ValidationError in plain words

Pages are given `available_actions` (a list of `Action`), computed by the app's selectors from
its lifecycle and permission predicates, so templates never compare status strings.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Action:
    """One button or link a page offers now: a POST button, or a link to a form page."""

    label: str
    url: str
    method: str = "post"  # "post" (a button that does it) or "get" (a link to a form)
    style: str = "primary"  # "primary", "secondary" or "warning"

    @property
    def is_link(self) -> bool:
        return self.method == "get"


class Lifecycle:
    """Which status may follow which, for one model's status field."""

    def __init__(self, transitions: Mapping[str, Collection[str]], *, field: str = "status"):
        self.transitions = {str(k): frozenset(str(v) for v in to) for k, to in transitions.items()}
        self.field = field
        for targets in self.transitions.values():
            unknown = targets - self.transitions.keys()
            if unknown:
                raise ValueError(f"Statuses with no row of their own: {sorted(unknown)}")

    def allowed(self, current: str) -> frozenset[str]:
        return self.transitions.get(str(current), frozenset())

    def can_move(self, obj: Any, to: str) -> bool:
        return str(to) in self.allowed(getattr(obj, self.field))

    def _label(self, obj: Any, value: str) -> str:
        field = obj._meta.get_field(self.field)
        return str(dict(field.flatchoices).get(value, value)).lower()

    def move(self, obj: Any, to: str, *, refusal: str | None = None) -> None:
        """Set the new status, or refuse in words a person can act on."""
        current = getattr(obj, self.field)
        if not self.can_move(obj, to):
            name = obj._meta.verbose_name
            raise ValidationError(
                refusal
                or f"A {name} that is {self._label(obj, current)} cannot become "
                f"{self._label(obj, to)}",
                code="invalid_transition",
            )
        setattr(obj, self.field, to)

    def is_final(self, status: str) -> bool:
        return not self.allowed(status)
