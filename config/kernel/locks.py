"""Taking one kind of write in turn across connections, where no row exists yet to lock: a
PostgreSQL advisory lock held until the transaction ends (call it inside `transaction.atomic`)."""

from __future__ import annotations

from django.db import connection


def in_turn(name: str, part: int = 0) -> None:
    """Wait for any other transaction holding the lock `name` (and `part`: a year, say), then
    hold it until this transaction commits or rolls back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [name, part])
