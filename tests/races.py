"""Making a race deterministic: another person's save committed at a chosen moment.

Tests that use these need `transactional_db`, so the other connection sees what the test
made and the test sees what the other connection commits.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import pre_save


@contextmanager
def saved_by_someone_else_first(model, save: Callable[[], object]) -> Iterator[None]:
    """Just before this thread's first insert of a `model` (its form and the service's checks
    passed), `save` runs on another database connection and commits, as a second person's
    request at the same moment would."""
    main = threading.get_ident()
    done: list[bool] = []

    def other_person() -> None:
        try:
            save()
        finally:
            connection.close()

    def before_insert(sender, instance, **kwargs) -> None:
        if done or threading.get_ident() != main or instance.pk:
            return
        done.append(True)
        thread = threading.Thread(target=other_person)
        thread.start()
        thread.join()

    pre_save.connect(before_insert, sender=model, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(before_insert, sender=model)
    assert done, "the other person's save never ran"
