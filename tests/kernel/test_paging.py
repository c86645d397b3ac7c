import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.kernel.paging import CappedPaginator
from sites.models import Site
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_the_count_stops_at_the_cap_and_says_so():
    SiteFactory.create_batch(5)
    paginator = CappedPaginator(Site.objects.order_by("name"), 2, cap=3)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert len(queries) == 1 and "LIMIT 4" in queries[0]["sql"]
    exact = CappedPaginator(Site.objects.order_by("name"), 2, cap=10)
    assert (exact.count, exact.capped) == (5, False)


def test_a_count_the_page_already_knows_asks_no_query():
    SiteFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        told = CappedPaginator(Site.objects.order_by("name"), 2, cap=None, known=5)
        assert (told.count, told.capped, told.num_pages) == (5, False, 3)
        capped = CappedPaginator(Site.objects.order_by("name"), 2, cap=3, known=5)
        assert (capped.count, capped.capped) == (3, True)
    assert len(queries) == 0


def test_no_cap_counts_every_row():
    SiteFactory.create_batch(5)
    paginator = CappedPaginator(Site.objects.order_by("name"), 2, cap=None)
    assert (paginator.count, paginator.capped, paginator.cap_text) == (5, False, "")
