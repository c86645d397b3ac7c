import pytest
from django.core.exceptions import ValidationError

from config.kernel.lifecycle import Action, Lifecycle
from projects.models import Project

PROJECT = Lifecycle(
    {
        "proposed": {"active", "closed"},
        "active": {"on_hold", "closed"},
        "on_hold": {"active", "closed"},
        "closed": set(),
    }
)


def test_a_move_the_table_allows_sets_the_status():
    project = Project(status="proposed")
    PROJECT.move(project, "active")
    assert project.status == "active"


def test_a_move_the_table_forbids_is_refused_in_words():
    project = Project(status="closed")
    with pytest.raises(ValidationError, match="A project that is closed cannot become active"):
        PROJECT.move(project, "active")
    assert project.status == "closed"
    assert PROJECT.is_final("closed")


def test_a_custom_refusal_is_used():
    with pytest.raises(ValidationError, match="Reopen it first"):
        PROJECT.move(Project(status="closed"), "on_hold", refusal="Reopen it first")


def test_a_table_naming_a_status_without_a_row_is_a_mistake():
    with pytest.raises(ValueError, match="no row of their own"):
        Lifecycle({"open": {"done"}})


def test_an_action_is_a_link_or_a_button():
    assert Action("Change", "/x/", method="get").is_link
    assert not Action("Close", "/x/close/").is_link
