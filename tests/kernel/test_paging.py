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
