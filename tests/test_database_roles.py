"""The database protects history even from the application (config/kernel/database.py).

Connected as the application's role (DATABASE_URL's, which `make test` separates from the
owner that migrates), each way round the history trigger is refused: TRUNCATE, switching
triggers off with session_replication_role, and ALTER TABLE … DISABLE TRIGGER. The role can
still add and read history, and change ordinary tables.
"""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from config.kernel.database import APPEND_ONLY_TABLES, append_only_tables
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.skipif(
    not settings.MIGRATION_DATABASE_URL,
    reason="one database role for everything: give MIGRATION_DATABASE_URL (make test does)",
)

HISTORY_TABLE = "sites_historicalsite"


@pytest.fixture
def as_application(transactional_db):
    """A connection to the test database as the application's role, committed as it goes."""
    SiteFactory(reference="S-ROLE")
    app = settings.APPLICATION_DATABASE
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=app["USER"],
        password=app["PASSWORD"] or None,
        host=app["HOST"] or None,
        port=app["PORT"] or None,
        autocommit=True,
    ) as conn:
        yield conn


def refused(conn, statement: str) -> str:
    with pytest.raises(psycopg.Error) as caught, conn.cursor() as cursor:
        cursor.execute(statement)
    return str(caught.value)


def history_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{HISTORY_TABLE}"')  # noqa: S608 - a constant
        return cursor.fetchone()[0]


def test_the_application_role_is_not_the_owner_and_no_superuser(as_application):
    with as_application.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0


def test_truncating_a_history_table_is_refused(as_application):
    before = history_rows()
    assert before >= 1
    assert "permission denied" in refused(as_application, f'TRUNCATE "{HISTORY_TABLE}"')
    assert history_rows() == before


def test_replica_mode_is_refused_so_history_cannot_be_changed_or_deleted(as_application):
    before = history_rows()
    message = refused(as_application, "SET session_replication_role = replica")
    assert "permission denied" in message
    # The session stays in its normal mode, so the UPDATE or DELETE that would follow is
    # refused (by the missing privilege, and the trigger still stands behind it).
    with as_application.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone() == ("origin",)
    update = f"UPDATE \"{HISTORY_TABLE}\" SET name = 'rewritten'"  # noqa: S608 - a constant
    assert "permission denied" in refused(as_application, update)
    delete = f'DELETE FROM "{HISTORY_TABLE}"'  # noqa: S608 - a constant
    assert "permission denied" in refused(as_application, delete)
    assert history_rows() == before


def test_disabling_the_history_trigger_is_refused(as_application):
    for statement in (
        f'ALTER TABLE "{HISTORY_TABLE}" DISABLE TRIGGER history_row_protect',
        f'ALTER TABLE "{HISTORY_TABLE}" DISABLE TRIGGER ALL',
    ):
        assert "must be owner" in refused(as_application, statement)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'history_row_protect' "
            "AND tgrelid = %s::regclass",
            [HISTORY_TABLE],
        )
        assert cursor.fetchone() == ("O",)


def test_the_application_adds_and_reads_history_and_changes_ordinary_tables(as_application):
    with as_application.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{HISTORY_TABLE}"')  # noqa: S608 - a constant
        assert cursor.fetchone()[0] >= 1
        cursor.execute("UPDATE sites_site SET town = 'Southtown' WHERE reference = 'S-ROLE'")
        assert cursor.rowcount == 1
        cursor.execute("SELECT nextval('residents_licence_reference_seq')")


def test_every_append_only_table_grants_only_insert_and_select(as_application):
    user = UserFactory()
    tables = append_only_tables()
    assert HISTORY_TABLE in tables and set(APPEND_ONLY_TABLES) <= set(tables)
    with as_application.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT has_table_privilege(current_user, %(t)s, 'INSERT'),"
                " has_table_privilege(current_user, %(t)s, 'SELECT'),"
                " has_table_privilege(current_user, %(t)s, 'UPDATE'),"
                " has_table_privilege(current_user, %(t)s, 'DELETE'),"
                " has_table_privilege(current_user, %(t)s, 'TRUNCATE'),"
                " has_table_privilege(current_user, %(t)s, 'TRIGGER')",
                {"t": table},
            )
            assert cursor.fetchone() == (True, True, False, False, False, False), table
        # Ordinary tables: read and write, never truncate.
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'auth_user', 'UPDATE'),"
            " has_table_privilege(current_user, 'auth_user', 'TRUNCATE')"
        )
        assert cursor.fetchone() == (True, False)
        assert "permission denied" in refused(
            as_application,
            f"DELETE FROM config_historicaluser WHERE id = {int(user.pk)}",  # noqa: S608
        )
