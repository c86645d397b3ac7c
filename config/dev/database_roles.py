"""Make the owner's and the application's PostgreSQL roles for `make run` and `make test`.

    python config/dev/database_roles.py ADMIN_URL

ADMIN_URL is a superuser's connection to the application's database (the throwaway or kept
cluster's `postgres`, or a DATABASE_URL given to run.sh/test.sh). This creates or corrects:

- the owner (`allocations_owner`, or $DB_OWNER_ROLE): may log in and create databases (the
  test databases), is no superuser; it is made the owner of the database and of everything in
  its public schema that an extension does not own (a database migrated before there were two
  roles), and of leftover test databases `test_<name>…`;
- the application (`allocations_app`, or $DB_APP_ROLE): may log in, nothing else; owns nothing.

Then prints `MIGRATION_DATABASE_URL=…` (the owner) and `DATABASE_URL=…` (the application) for
the calling script. Exit status 3, printing nothing, when ADMIN_URL is not a superuser (the
caller then keeps its one role and says so). Development and tests only: the passwords are
fixed ($DB_ROLE_PASSWORD), as the clusters these scripts start trust local connections.
Production makes its roles once, by hand or as docker-compose does (config/docker/initdb/).
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

NOT_SUPERUSER = 3


def url_with_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def role_ensure(cursor: psycopg.Cursor, name: str, attributes: str, password: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    cursor.execute(
        sql.SQL(verb + " ROLE {} " + attributes + " PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(password)
        )
    )


def objects_reassign(cursor: psycopg.Cursor, owner: str) -> int:
    """Give the owner every table, view, sequence and function of the public schema that
    another role owns (extensions' members stay theirs). Returns how many changed hands."""
    cursor.execute(
        """
        SELECT c.oid::regclass::text, c.relkind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND pg_get_userbyid(c.relowner) <> %(owner)s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
        ORDER BY c.relkind <> 'S'
        """,
        {"owner": owner},
    )
    relations = cursor.fetchall()
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %(owner)s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
        """,
        {"owner": owner},
    )
    functions = [row[0] for row in cursor.fetchall()]
    kinds = {"v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE", "S": "SEQUENCE"}
    for name, kind in relations:
        cursor.execute(
            sql.SQL("ALTER {} {} OWNER TO {}").format(
                sql.SQL(kinds.get(kind, "TABLE")), sql.SQL(name), sql.Identifier(owner)
            )
        )
    for signature in functions:
        cursor.execute(
            sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(
                sql.SQL(signature), sql.Identifier(owner)
            )
        )
    return len(relations) + len(functions)


def main(admin_url: str) -> int:
    owner = os.environ.get("DB_OWNER_ROLE", "allocations_owner")
    application = os.environ.get("DB_APP_ROLE", "allocations_app")
    password = os.environ.get("DB_ROLE_PASSWORD", "allocations-dev-only")
    with psycopg.connect(admin_url, autocommit=True) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, current_database() FROM pg_roles WHERE rolname = current_user"
        )
        row = cursor.fetchone()
        if row is None or not row[0]:
            return NOT_SUPERUSER
        database = row[1]
        role_ensure(
            cursor, owner, "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION", password
        )
        role_ensure(
            cursor,
            application,
            "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT",
            password,
        )
        # The application is nobody's member: it inherits no one's rights.
        cursor.execute(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = %s)",
            [application],
        )
        for (granted,) in cursor.fetchall():
            cursor.execute(
                sql.SQL("REVOKE {} FROM {}").format(
                    sql.Identifier(granted), sql.Identifier(application)
                )
            )
        cursor.execute(
            "SELECT datname FROM pg_database WHERE (datname = %(db)s OR datname LIKE %(tests)s) "
            "AND pg_get_userbyid(datdba) <> %(owner)s",
            {"db": database, "tests": f"test\\_{database}%", "owner": owner},
        )
        for (name,) in cursor.fetchall():
            cursor.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
        cursor.execute(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"
        )
        schema_owner = cursor.fetchone()
        if schema_owner and schema_owner[0] not in (owner, "pg_database_owner"):
            cursor.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        moved = objects_reassign(cursor, owner)
    if moved:
        print(f"# gave {moved} existing objects to {owner}", file=sys.stderr)
    print(f"MIGRATION_DATABASE_URL={url_with_user(admin_url, owner, password)}")
    print(f"DATABASE_URL={url_with_user(admin_url, application, password)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
