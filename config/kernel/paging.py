"""A paginator whose count stops at a cap: a search's cost doesn't grow with its matches."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (SELECT COUNT(*) over a LIMIT), so the pages reach that far;
    `capped` says there are more, and the page says "more than" the cap."""

    def __init__(
        self, object_list, per_page, *, cap: int = COUNT_CAP, known: int | None = None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.known = known  # how many rows there are, when the caller already knows

    @cached_property
    def _counted(self) -> int:
        if self.known is not None:
            return min(self.known, self.cap + 1)
        rows: Any = self.object_list  # a QuerySet: a capped COUNT over a LIMIT
        return rows.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap

    @property
    def cap_text(self) -> str:
        """The cap as the page says it: "1,000"."""
        return f"{self.cap:,}"


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (the page has already counted them, by an
    aggregate it shows), so it asks no COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached property
