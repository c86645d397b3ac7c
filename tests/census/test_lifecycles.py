"""The census's transition tables (census/lifecycles.py): what may follow what."""

from census.lifecycles import DIFFERENCE, RETURN, ROUND


def test_a_round_is_planned_then_started_then_closed():
    assert ROUND.allowed("planned") == {"started"}
    assert ROUND.allowed("started") == {"closed"}
    assert ROUND.is_final("closed")


def test_a_return_is_saved_part_done_then_submitted_once():
    assert RETURN.allowed("not_started") == {"in_progress", "submitted"}
    assert RETURN.allowed("in_progress") == {"submitted"}
    assert RETURN.is_final("submitted")


def test_a_difference_is_applied_or_dismissed_once():
    assert DIFFERENCE.allowed("open") == {"applied", "dismissed"}
    assert DIFFERENCE.is_final("applied") and DIFFERENCE.is_final("dismissed")
