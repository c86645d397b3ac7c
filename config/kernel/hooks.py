"""A write in a lower app that an upper app must follow in the same transaction.

Apps depend one way (projects <- sites <- residents <- allocations): a residents service cannot
call allocations. Where a residents write owes something only allocations keeps (a letter in
the council's wording, say), residents declares a `Hook` and calls it inside its atomic
service; allocations registers its service in AppConfig.ready. Explicit and few, unlike
signals: each hook is named where it is called, and says what it is called with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, description: str) -> None:
        self.description = description
        self.handlers: list[Callable[..., Any]] = []

    def register(self, handler: Callable[..., Any]) -> None:
        if handler not in self.handlers:  # ready() may run twice (tests, reloads)
            self.handlers.append(handler)

    def call(self, **kwargs: Any) -> None:
        for handler in self.handlers:
            handler(**kwargs)
