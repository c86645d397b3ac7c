"""The purge of a demo applicant run as the application's database role, the one production
runs as (config/kernel/database.py: it owns nothing, may not update or delete history or the
append-only logs; the purge's own SECURITY DEFINER functions are its one way through).

With two roles (`make test`: MIGRATION_DATABASE_URL the owner's, DATABASE_URL the
application's) Django's connection reconnects as the application for the purge. With one
role that is a superuser's (a plain DATABASE_URL), a throwaway role is made with exactly the
application's grants (`application_grants`) and the connection `SET ROLE`s to it. Committed
for real (a transactional test): the rights are checked as production meets them.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from allocations.models import Application
from allocations.privacy.demo import DEMO_PURGED_FAMILY
from allocations.privacy.models import PurgeRegisterEntry, RetentionBatch
from allocations.privacy.services import retention_batch_confirm
from config.kernel.database import application_grants
from projects.models import WorkItem
from residents.models import Household
from tests.privacy.test_purge import _files, _text_columns_holding

pytestmark = pytest.mark.django_db(transaction=True)


def _current_role() -> tuple[str, bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()


@contextmanager
def _as_real_application():
    """Reconnect as DATABASE_URL's role (its user and password kept in APPLICATION_DATABASE)."""
    app = settings.APPLICATION_DATABASE
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=app["USER"], PASSWORD=app["PASSWORD"])
    try:
        yield app["USER"]
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@contextmanager
def _as_probe_role(settings_fixture):
    """A throwaway role with the application's grants, taken on with SET ROLE."""
    role = f"{connection.settings_dict['NAME']}_app_probe"[:63]
    who = sql.Identifier(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(
                sql.SQL(
                    "CREATE ROLE {} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                ).format(who)
            )
    settings_fixture.DATABASE_APPLICATION_ROLE = role
    application_grants()
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(who))
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(who))
            cursor.execute(sql.SQL("DROP ROLE {}").format(who))


def _as_application(settings_fixture):
    if settings.MIGRATION_DATABASE_URL:
        return _as_real_application()
    _user, superuser = _current_role()
    if not superuser:
        pytest.skip("one database role that is no superuser: no application role to act as")
    return _as_probe_role(settings_fixture)


def test_the_demo_batch_purged_as_the_application_leaves_nothing(
    transactional_db, settings, tmp_path
):
    # `transactional_db` (the conftest's): an earlier transactional test emptied the database,
    # the role groups the demo's users need included; the fixture puts them back.
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)
    batch = RetentionBatch.objects.get(status="waiting")
    (item,) = batch.items.all()
    household = Household.objects.get(pk=item.record_id)
    assert household.people.get().last_name == DEMO_PURGED_FAMILY
    reference = Application.objects.get(household=household).reference
    needles = (DEMO_PURGED_FAMILY, household.reference, reference)
    assert _text_columns_holding(*needles)
    files_before = set(_files(tmp_path))
    team_leader = WorkItem.objects.get(source_key=f"retention_batch:{batch.pk}").created_by
    with _as_application(settings) as role:
        user, superuser = _current_role()
        assert (user, superuser) == (role, False)
        outcome = retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader)
    assert outcome.purged == 1
    assert _current_role()[0] != role
    assert not Household.objects.filter(pk=household.pk).exists()
    assert _text_columns_holding(*needles) == []
    entry = PurgeRegisterEntry.objects.get()
    assert entry.count == 1 and entry.files_deleted == len(files_before - set(_files(tmp_path)))
