import importlib
from datetime import date

import pytest

from projects.models import WorkItem
from projects.services import work_item_create
from projects.work import (
    WORK_KINDS,
    source_key,
    work_item_cancel_for_source,
    work_item_complete_for_source,
)

migration = importlib.import_module("projects.migrations.0002_source_keys_by_kind")


def test_a_source_key_starts_with_its_registered_kind():
    assert source_key("interview", 42) == "interview:42"
    assert source_key("census_returns_outstanding", 3, 7) == "census_returns_outstanding:3:7"


def test_an_unregistered_kind_or_a_key_about_nothing_is_a_mistake():
    with pytest.raises(ValueError, match="Unregistered kind of work"):
        source_key("made_up", 1)
    with pytest.raises(ValueError, match="names the record"):
        source_key("interview")


@pytest.mark.parametrize(
    ("legacy", "new"),
    [
        ("interview-12", "interview:12"),
        ("site-visit-3-9", "site_visit:3:9"),
        ("decision-returned-4", "decision_returned:4"),
        ("licence-breach-4-remedy-20261203", "breach_remedy_due:4:20261203"),
        ("licence-breach-4", "licence_breach:4"),
        ("census:returns-outstanding:3:7", "census_returns_outstanding:3:7"),
        ("projects:risk-review:5:2026-12-03", "risk_review:5:2026-12-03"),
        ("something-else", None),
    ],
)
def test_keys_written_before_are_rewritten_to_the_new_shape(legacy, new):
    assert migration.new_key(legacy) == new
    if new is not None:
        assert new.split(":")[0] in WORK_KINDS


@pytest.mark.django_db
def test_work_is_completed_or_cancelled_once_by_its_key(officer):
    key = source_key("interview", 1)
    work_item_create(
        kind="interview",
        title="Interview",
        due=date(2026, 12, 3),
        source_key=key,
        by=officer,
        assignee=officer,
    )
    done = work_item_complete_for_source(key, by=officer)
    assert done is not None and done.status == WorkItem.Status.DONE
    assert work_item_complete_for_source(key, by=officer) is None  # safe to call twice
    assert work_item_cancel_for_source(key, by=officer, reason="No longer needed") is None
    assert work_item_complete_for_source(source_key("interview", 2), by=officer) is None
