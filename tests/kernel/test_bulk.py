"""Many rows and their history in one statement: the rows in order, a history row each naming
who and why, the change log written by the same statement's trigger, and refusals for rows
that do not match."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from config import changelog
from config.kernel import bulk
from config.kernel.bulk import insert_with_history, update_with_history
from config.models import ChangeLogEntry
from sites.models import Site

pytestmark = pytest.mark.django_db


def _site(n: int) -> dict:
    return {
        "name": f"Bulk site {n}",
        "reference": f"BK{n}",
        "kind": Site.Kind.GYPSY_TRAVELLER_SITE,
        "address_line_1": f"{n} Lane",
        "town": "Devizes",
        "postcode": "SN10 1AA",
    }


def test_rows_and_their_history_are_written_in_one_statement_in_order(officer):
    with CaptureQueriesContext(connection) as ran:
        keys = insert_with_history(
            Site, [_site(n) for n in range(3)], by=officer, reason="Sites imported"
        )
    assert len(ran) == 1
    assert [Site.objects.get(pk=k).name for k in keys] == [
        "Bulk site 0",
        "Bulk site 1",
        "Bulk site 2",
    ]
    for key in keys:
        row = Site.objects.get(pk=key).history.get()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            officer,
            "Sites imported",
        )
    logged = ChangeLogEntry.objects.filter(record_type="sites.site", record_id__in=keys)
    assert sorted(logged.values_list("label", flat=True)) == [
        "Bulk site 0",
        "Bulk site 1",
        "Bulk site 2",
    ]
    first = logged.get(record_id=keys[0])
    assert (first.action, first.reason, first.user_name) == (
        "+",
        "Sites imported",
        officer.get_full_name(),
    )
    # A created record's values are stored whole (config/changelog_writing.py CREATED_SQL) and
    # read as a field each with no "before".
    assert first.changes["town"] == "Devizes"
    assert ("Town or city", "", "Devizes") in [
        (c.label, c.before, c.after) for c in changelog.changes(first, {})
    ]


def test_updates_write_each_records_own_reason_and_only_what_changed(officer):
    keys = insert_with_history(Site, [_site(n) for n in range(2)], by=officer, reason="Imported")
    with CaptureQueriesContext(connection) as ran:
        update_with_history(
            Site,
            [
                {"pk": keys[0], "reason": "Renamed by the parish", "name": "Oak Lane"},
                {"pk": keys[1], "reason": "Name checked", "name": "Bulk site 1"},
            ],
            by=officer,
        )
    assert len(ran) == 1
    assert Site.objects.get(pk=keys[0]).name == "Oak Lane"
    renamed = ChangeLogEntry.objects.filter(record_id=keys[0], action="~").get()
    assert (renamed.reason, renamed.changes) == (
        "Renamed by the parish",
        {"name": ["Bulk site 0", "Oak Lane"]},
    )
    unchanged = Site.objects.get(pk=keys[1]).history.first()
    assert unchanged.history_change_reason == "Name checked"
    assert ChangeLogEntry.objects.get(record_id=keys[1], action="~").changes == {}


def test_rows_that_do_not_match_are_refused_and_nothing_is_written(officer):
    other = _site(2) | {"postcode": None}
    del other["postcode"]
    with pytest.raises(ValueError, match="same fields"):
        insert_with_history(Site, [_site(1), other], by=officer, reason="Imported")
    with pytest.raises(ValueError, match="Not fields of Site: colour"):
        insert_with_history(Site, [_site(1) | {"colour": "red"}], by=officer, reason="Imported")
    with pytest.raises(ValueError, match="same fields"):
        update_with_history(
            Site, [{"pk": 1, "reason": "x", "name": "A"}, {"pk": 2, "reason": "x"}], by=officer
        )
    assert not Site.objects.filter(reference__startswith="BK").exists()


def test_an_update_of_a_record_that_is_not_there_is_refused(officer):
    with pytest.raises(RuntimeError, match="0 of 1 sites updated"):
        update_with_history(Site, [{"pk": 0, "reason": "x", "name": "A"}], by=officer)


def _work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


def test_a_large_document_is_sorted_in_memory_for_its_statement_alone(officer):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '3MB'")
    rows = [_site(n) | {"notes": "x" * 1500} for n in range(1000)]

    with CaptureQueriesContext(connection) as ran:
        keys = insert_with_history(Site, rows, by=officer, reason="Sites imported")
    during = [q["sql"] for q in ran.captured_queries if "work_mem" in q["sql"]]

    assert len(keys) == 1000
    # Three times the document (about 1.8 MB of JSON), and 4 MB more.
    assert "set_config('work_mem', '9MB', true)" in during[0]
    assert _work_mem() == "3MB"  # the transaction's own setting again
    with connection.cursor() as cursor, bulk._sort_room(cursor, "[]" * 10):
        assert _work_mem() == "3MB"  # a small document: nothing changed


def test_a_large_document_refused_gives_the_database_s_own_error(officer):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '3MB'")
    rows = [_site(n) | {"notes": "x" * 1500} for n in range(1000)]
    rows[-1]["name"] = rows[0]["name"]  # site names are unique

    with pytest.raises(IntegrityError, match="name"), transaction.atomic():
        insert_with_history(Site, rows, by=officer, reason="Sites imported")

    assert _work_mem() == "3MB"  # undone with the rest of the statement's savepoint
    assert not Site.objects.filter(name=rows[0]["name"]).exists()
