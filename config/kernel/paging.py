"""A paginator that counts at most a cap (a search's cost doesn't grow with its matches), or
is told the count the page already knows (so it asks no COUNT of its own)."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (SELECT COUNT(*) over a LIMIT), so the pages reach that far;
    `capped` says there are more, and the page says "more than" the cap. `known`: how many rows
    there are when the caller already knows (no COUNT at all); `cap=None` never caps."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int | None = COUNT_CAP,
        known: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.known = known

    @cached_property
    def _counted(self) -> int:
        if self.known is not None:
            return self.known if self.cap is None else min(self.known, self.cap + 1)
        rows: Any = self.object_list  # a QuerySet
        if self.cap is None:
            return rows.count()
        return rows.order_by()[: self.cap + 1].count()  # a capped COUNT over a LIMIT

    @cached_property
    def count(self) -> int:
        return self._counted if self.cap is None else min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.cap is not None and self._counted > self.cap

    @property
    def cap_text(self) -> str:
        """The cap as the page says it: "1,000"."""
        return f"{self.cap:,}" if self.cap is not None else ""
