"""The slots the residents app's pages offer the apps above it (config/panels.py)."""

from django.http import HttpRequest

from config.kernel.hooks import Hook
from config.panels import Slot
from residents.models import Licence, LicenceOccupant
from residents.selectors import household_name

TENANCY_LETTERS = Slot("Letters to a tenancy's tenants, on its page; the context has `licence`.")

HOUSEHOLD_ACTIONS = Slot(
    "Buttons and links under a household's communication needs; the context has `household` "
    "and `people`, its people by name (surname, first name)."
)


# Housing Act 1996 s.125A/B: the extension is served by notice giving the reasons and the
# tenant's right to a review; allocations draws it as a letter in the council's wording.
INTRODUCTORY_REVIEWED = Hook(
    "After an introductory tenancy's review is recorded, inside its transaction; called with "
    "tenancy= (extended or confirmed) and by=."
)


def unit_agreements(request: HttpRequest, *, unit) -> dict | None:
    """The unit's agreement being prepared (or signed, not started) and its live agreement:
    who lives there and since when, for the unit page."""
    if request is None or not request.user.has_perm("residents.view_licence"):
        return None
    licences = list(
        Licence.objects.filter(unit=unit, status__in=[*Licence.PENDING_STATUSES, "live"])
        .select_related("household")
        .prefetch_related("occupants__person")
        .order_by("start_date")
    )
    live = next((lic for lic in licences if lic.status == Licence.Status.LIVE), None)
    pending = next((lic for lic in licences if lic.status in Licence.PENDING_STATUSES), None)
    holders = (
        [
            named.person
            for named in live.occupants.all()
            if named.role == LicenceOccupant.Role.HOLDER and named.to_date is None
        ]
        if live
        else []
    )
    if live is None and pending is None:
        return {"live_agreement": None, "pending_agreement": None, "live_holders": []}
    return {
        "live_agreement": live,
        "pending_agreement": pending,
        "live_holders": holders,
        # Named as pages name a household: its lead's name with the reference.
        "pending_household": household_name(pending.household) if pending else "",
    }
