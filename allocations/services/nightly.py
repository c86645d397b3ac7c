"""What the nightly runs share: each item in its own savepoint, so one that fails is logged
for the administrators and counted, and the others (and the later steps) still run."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def nightly_each(
    run: str,
    step: str,
    items: Iterable[Any],
    do: Callable[[Any], Any],
    counts: dict[str, int],
    counted: str,
    failed: str = "failed",
) -> None:
    """`do` for each item in its own savepoint: a fault in one is logged (with `run` and
    `step` naming it) and counted under `failed`, and the rest still run (the next night tries
    it again). An item `do` returns False for is not counted under `counted`."""
    for item in items:
        try:
            with transaction.atomic():
                done = do(item)
        except Exception:
            logger.exception("%s: %s of %r could not be made", run, step, item)
            counts[failed] += 1
            continue
        if done is not False:
            counts[counted] += 1
