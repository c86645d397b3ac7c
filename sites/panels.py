"""The slots the sites app's pages offer the apps above it, and what sites puts on the pages
of the apps below it (config/panels.py; registered in sites/apps.py)."""

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
    return {
        "site_count": Site.objects.count(),
        "void_count": Unit.objects.filter(status__in=Unit.EMPTY_STATES).count(),
    }
