"""References the allocation engine gives its records (saving, reasons: config.kernel.records)."""

from django.db import connection


def next_reference(prefix: str, sequence: str) -> str:
    """The next reference from a database sequence: "PITCH-000042"."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:06d}"
