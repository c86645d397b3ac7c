import os
import secrets

import django.test
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from config.roles import ROLES
from sites.models import ProviderStaff, RegisteredProvider
from tests.factories import UserFactory

# Property tests must not fail because the machine is busy: no per-example deadline (and no
# too-slow health check), and a fixed number of examples. Registered once, for every test;
# HYPOTHESIS_PROFILE=default gives Hypothesis's own settings back.
hypothesis_settings.register_profile(
    "ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def two_step_code(user) -> str:
    """A fresh one-off code for `user`: a confirmed recovery-code device (made if missing) is
    given one more code, as a real device would hold one. Typed into the real two-step page by
    `Client.force_login` below and by the browser tests' `sign_in`."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    code = secrets.token_hex(5)
    device.token_set.create(token=code)
    return code


class Client(django.test.Client):
    """The test client, signing in with both steps: `force_login` skips the password, as
    Django's does, and then passes the second step through the real two-step page."""

    def force_login(self, user, backend=None):
        from django.urls import reverse

        from config.accounts.two_step import two_step_required

        super().force_login(user, backend)
        if two_step_required(user):
            # The page's CSRF check is not what this step tests (a client that enforces it
            # is testing another form).
            enforce, self.handler.enforce_csrf_checks = self.handler.enforce_csrf_checks, False
            try:
                response = self.post(reverse("two-step-verify"), {"code": two_step_code(user)})
            finally:
                self.handler.enforce_csrf_checks = enforce
            assert response.status_code == 302, "the second step of signing in failed"


@pytest.fixture
def client():
    """pytest-django's `client`, signing in with both steps (see `Client`)."""
    return Client()


def _user_with_role(role_name: str):
    user = UserFactory(username=role_name.replace("_", ""), roles=[role_name])
    if role_name == "provider_staff":
        # A provider's staff member always belongs to one provider: the first one made (the
        # access records' provider), or a new one.
        from tests.allocations.nominations import provider

        the_provider = RegisteredProvider.objects.order_by("pk").first() or provider()
        ProviderStaff.objects.create(user=user, provider=the_provider)
    return user


# One fixture per role in config.roles.ROLES, named after it (tests/test_roles.py checks
# that none is missing).


@pytest.fixture
def officer(db):
    """A signed-up user holding only the officer role."""
    return _user_with_role("officer")


@pytest.fixture
def team_leader(db):
    """A signed-up user holding only the team_leader role."""
    return _user_with_role("team_leader")


@pytest.fixture
def auditor(db):
    """A signed-up user holding only the auditor role."""
    return _user_with_role("auditor")


@pytest.fixture
def sites_manager(db):
    """A signed-up user holding only the sites_manager role."""
    return _user_with_role("sites_manager")


@pytest.fixture
def business_support(db):
    """A signed-up user holding only the business_support role."""
    return _user_with_role("business_support")


@pytest.fixture
def head_of_service(db):
    """A signed-up user holding only the head_of_service role."""
    return _user_with_role("head_of_service")


@pytest.fixture
def administrator(db):
    """A signed-up user holding only the administrator role."""
    return _user_with_role("administrator")


@pytest.fixture
def provider_staff(db):
    """A signed-up user holding only the provider_staff role, at a registered provider."""
    return _user_with_role("provider_staff")


@pytest.fixture
def user_for_role(db):
    """Build a user holding one role, by the role's group name."""
    return _user_with_role


@pytest.fixture(params=[role.name for role in ROLES])
def role_name(request):
    return request.param


def _migration_data_restore() -> None:
    """Put back what data migrations made (role groups, default policies, letter wording): a
    transactional test's database is emptied after each test, migrations' rows included."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from config.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.set(
                [
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    for app_label, codename in (dotted.split(".") for dotted in codenames)
                ]
            )
    policies = importlib.import_module("allocations.migrations.0003_default_policies")
    policies.publish_defaults(apps, None)
    for name in (
        "0018_letter_wordings_from_templates",
        "0022_letter_wordings_for_registration",
        "0035_letter_wordings_for_resales_and_tenancies",
        "0047_letter_for_an_ended_resale_nomination",
        "0051_letter_to_the_seller_when_a_nominee_withdraws",
        "0052_letter_wording_corrections",
        "0055_letter_wordings_for_band_decisions",
    ):
        importlib.import_module(f"allocations.migrations.{name}").wordings_seed(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, with the migrations' rows: a reused one (--reuse-db) may have been
    left by a run that ended with a transactional test, which empties every table."""
    with django_db_blocker.unblock():
        _migration_data_restore()


@pytest.fixture
def transactional_db(transactional_db):
    _migration_data_restore()
    yield transactional_db
    # Before the teardown empties every table: nothing of this test's left for the module's
    # Celery worker, and nothing it is still working on (a task's transaction and the
    # teardown's TRUNCATE would deadlock).
    if _worker_running is not None:
        _worker_quiet(_worker_running)


# The hostname of the module's Celery worker while one runs (celery_worker_process).
_worker_running: str | None = None


def _worker_quiet(hostname: str, timeout: float = 30) -> None:
    """Forget the tasks still queued and wait until the worker has finished the one it has."""
    import time

    from config.celery import app

    app.control.purge()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.inspect(destination=[hostname], timeout=1, limit=1).active() or {}
        if not any(replies.values()):
            return
        time.sleep(0.1)
    raise RuntimeError(f"The Celery worker was still busy {timeout:.0f} s after the test.")


def worker_environment(database: dict) -> dict[str, str]:
    """The environment of a Celery worker a test starts: the test database, connected as the
    application's role (which owns nothing) when `make test` has made one."""
    import os
    from urllib.parse import quote

    from django.conf import settings

    user, password = database["USER"], database["PASSWORD"]
    if settings.MIGRATION_DATABASE_URL:
        user = settings.APPLICATION_DATABASE["USER"]
        password = settings.APPLICATION_DATABASE["PASSWORD"]
    url = (
        f"postgres://{quote(user or '', safe='')}:{quote(password or '', safe='')}@"
        f"{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if k != "MIGRATION_DATABASE_URL"}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker, on the real Redis broker, using the test database.

    Tests that use it need `transactional_db`, so the worker sees what they commit. The worker
    writes its emails as files under `worker.mail_dir` (locmem's outbox is per process).
    One for each module that asks, stopped after it: a worker left running would take the
    tasks later tests queue and work on the database while their teardown empties it (a
    deadlock, seen in CI)."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    from config.celery import app

    with django_db_blocker.unblock():
        database = connection.settings_dict
    env = {
        **worker_environment(database),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir := tmp_path_factory.mktemp("worker-mail")),
    }
    root = Path(settings.BASE_DIR)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    app.control.purge()
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            f"--queues={queue}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
            f"--hostname=test-worker-{os.getpid()}@%h",
        ],
        cwd=root,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("The Celery worker exited while starting; see its output above.")
        replies = app.control.ping(
            destination=[f"test-worker-{os.getpid()}@{os.uname().nodename}"], timeout=0.5
        )
        if replies:
            break
    else:
        worker.kill()
        raise RuntimeError("The Celery worker did not answer within 60 seconds.")
    worker.mail_dir = mail_dir
    global _worker_running
    _worker_running = f"test-worker-{os.getpid()}@{os.uname().nodename}"
    try:
        yield worker
    finally:
        _worker_running = None
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
