"""The list pages benchmark: which pages it measures, their counts, and its rows."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from allocations.management.benchmark_lists import (
    Count,
    ListPage,
    list_pages,
    page_counts,
    table_rows,
)
from residents.models import SpecialCategoryView
from tests.factories import PersonFactory


def test_it_finds_the_list_pages_and_nothing_else():
    urls = {page.url for page in list_pages()}

    assert {"/households/", "/sites/", "/allocations/applications/", "/change-log/"} <= urls
    assert "/households/special-category-views/" in urls  # a list under another name
    assert "/sites/new/" not in urls  # a form
    assert not any(url.startswith("/admin/") for url in urls)
    assert not any(url.endswith((".csv", ".xlsx")) for url in urls)


def test_each_page_is_counted_for_a_reader_who_may_see_it_and_everything_is_rolled_back(
    db, settings
):
    settings.TWO_STEP_DEMO_OPTIONAL = True  # as the benchmark runs (local settings)
    PersonFactory()  # the person of the special-category showing the readers make
    pages = [
        ListPage("residents:household-list", "/households/"),
        ListPage("allocations:decision-queue", "/allocations/decisions/"),  # team leaders'
        ListPage("allocations:provider-nomination-list", "/allocations/provider/nominations/"),
        ListPage("residents:special-category-views", "/households/special-category-views/"),
        ListPage("nowhere", "/no-such-page/"),
    ]
    before = (
        Session.objects.count(),
        get_user_model().objects.count(),
        SpecialCategoryView.objects.count(),
    )

    counts = page_counts(pages)

    assert (
        Session.objects.count(),
        get_user_model().objects.count(),
        SpecialCategoryView.objects.count(),
    ) == before  # the readers, their sign-ins and the showing are rolled back
    for name in (
        "residents:household-list",
        "allocations:decision-queue",
        "allocations:provider-nomination-list",  # by the provider's staff member
        "residents:special-category-views",
    ):
        assert counts[name].status == 200 and counts[name].queries > 0, name
    assert counts["nowhere"] == Count(None, 404)


def test_a_row_a_page_pass_when_constant_and_a_summary():
    pages = [ListPage("a", "/a/"), ListPage("b", "/b/"), ListPage("c", "/c/")]
    small = {"a": Count(7, 200), "b": Count(6, 200), "c": Count(None, 403)}
    large = {"a": Count(7, 200), "b": Count(9, 200), "c": Count(None, 403)}

    rows = table_rows(pages, small, large, repeat=1)

    assert [row.name for row in rows] == [
        "queries: a /a/ (×1 → ×N): 7 → 7",
        "queries: b /b/ (×1 → ×N): 6 → 9",
        "queries: c /c/ (×1 → ×N)",
        "queries: list pages constant from ×1 to ×N (1 of 3)",
    ]
    assert [row.result for row in rows] == [
        "PASS",
        "FAIL",
        "FAIL (HTTP 403 at ×1, 403 at ×N)",
        "FAIL",
    ]
