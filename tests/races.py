"""Making a race deterministic: another person's save committed at a chosen moment.

Tests that use these need `transactional_db`, so the other connection sees what the test
made and the test sees what the other connection commits.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import pre_save


@contextmanager
def saved_by_someone_else_first(
    model, save: Callable[[], object], *, updates: bool = False
) -> Iterator[None]:
    """Just before this thread's first insert of a `model` (its form and the service's checks
    passed), `save` runs on another database connection and commits, as a second person's
    request at the same moment would. With `updates`, before its first save of one, a change
    to a record already there too."""
    main = threading.get_ident()
    done: list[bool] = []

    def other_person() -> None:
        try:
            save()
        finally:
            connection.close()

    def before_insert(sender, instance, **kwargs) -> None:
        if done or threading.get_ident() != main or (instance.pk and not updates):
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


@contextmanager
def saved_by_someone_else_meanwhile(
    model, save: Callable[[], object], *, timeout: float = 10, updates: bool = False
) -> Iterator[None]:
    """Just before this thread's first insert of a `model`, `save` starts on another database
    connection, as a second person's request at the same moment would; this thread goes on
    once that save has finished or is waiting for a lock (one this thread holds: the row a
    service locks first), and the other save is waited for when the block ends. So a service
    that locks takes the two in turn; one that does not lets the other insert first. With
    `updates`, before its first save of one already there too."""
    main = threading.get_ident()
    started: list[threading.Thread] = []
    pids: list[int] = []

    def other_person() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            save()
        finally:
            connection.close()

    def waiting_for_a_lock() -> bool:
        if not pids:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [pids[0]])
            return cursor.fetchone() is not None

    def before_insert(sender, instance, **kwargs) -> None:
        if started or threading.get_ident() != main or (instance.pk and not updates):
            return
        thread = threading.Thread(target=other_person)
        started.append(thread)
        thread.start()
        deadline = time.monotonic() + timeout
        while thread.is_alive() and not waiting_for_a_lock():
            assert time.monotonic() < deadline, "the other person's save neither ended nor waited"
            time.sleep(0.02)

    pre_save.connect(before_insert, sender=model, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(before_insert, sender=model)
        for thread in started:
            thread.join(timeout)
    assert started, "the other person's save never ran"
