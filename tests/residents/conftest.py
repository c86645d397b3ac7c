import pytest


@pytest.fixture
def celery_eager():
    """Run tasks in this process as they are sent (with on-commit callbacks executed)."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
