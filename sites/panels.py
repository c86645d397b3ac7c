"""The slots the sites app's pages offer the apps above it, and what sites puts on the pages
of the apps below it (config/panels.py; registered in sites/apps.py)."""

from django.db import connection
from django.http import HttpRequest

from config.panels import Slot
from sites.models import Site, Unit

UNIT_ACTIONS = Slot("Buttons and links under a unit's details; the context has `unit`.")
UNIT_LETTING = Slot(
    "Where the unit is in the letting process (vacancy, offer, agreement, who lives there), "
    "with the next sensible step; the context has `unit`."
)


def home_summary(request: HttpRequest) -> dict | None:
    """The home page's count of sites and void units, for those who may see sites."""
    if not request.user.has_perm("sites.view_site"):
        return None
    # Both counts in one statement: the home page is everyone's first page.
    sites, units = Site._meta.db_table, Unit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT (SELECT count(*) FROM "{sites}"), '  # noqa: S608 - the models' own tables
            f'(SELECT count(*) FROM "{units}" WHERE status = ANY(%s))',
            [[str(status) for status in Unit.EMPTY_STATES]],
        )
        site_count, void_count = cursor.fetchone()
    return {"site_count": site_count, "void_count": void_count}
