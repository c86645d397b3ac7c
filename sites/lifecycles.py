"""The unit's letting state: which state may follow which (one table, read by every step)."""

from config.kernel.lifecycle import Lifecycle
from sites.models import Unit

_U = Unit.Status
# void → advertised → under offer → allocated (agreement being prepared) → occupied, and back
# to void only when an agreement ends. An offer refused or withdrawn puts the unit back on
# advert; a vacancy withdrawn, or a let that falls through before signing, puts it back void.
# A unit with no vacancy can be allocated straight from void (succession, a transit stay).
# A registered provider's home goes from advertised to occupied when the provider confirms the
# let of the council's nomination: the tenancy is the provider's, not an agreement here.
UNIT_LETTING = Lifecycle(
    {
        _U.VOID: {_U.ADVERTISED, _U.ALLOCATED, _U.UNAVAILABLE},
        _U.ADVERTISED: {_U.UNDER_OFFER, _U.VOID, _U.OCCUPIED},
        _U.UNDER_OFFER: {_U.ADVERTISED, _U.ALLOCATED},
        _U.ALLOCATED: {_U.OCCUPIED, _U.VOID},
        _U.OCCUPIED: {_U.VOID, _U.ALLOCATED},
        _U.UNAVAILABLE: {_U.VOID},
    }
)
