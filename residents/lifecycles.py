"""Which status may follow which, one transition table per residents model with a status."""

from config.kernel.lifecycle import Lifecycle
from residents.models import Breach, Licence, UnauthorisedOccupant

_L = Licence.Status
# A licence is prepared, signed (live at once, or on its start date) and ended; a draft the
# household walks away from before signing did not go ahead. It never goes back.
LICENCE = Lifecycle(
    {
        _L.DRAFT: {_L.SIGNED, _L.LIVE, _L.CANCELLED},
        _L.SIGNED: {_L.LIVE},
        _L.LIVE: {_L.ENDED},
        _L.ENDED: set(),
        _L.CANCELLED: set(),
    }
)

# A suspected breach is looked into, a notice to remedy served, and then put right or
# escalated; it can be closed early when it turns out not to be a breach.
BREACH = Lifecycle(
    {
        Breach.Status.REPORTED: {Breach.Status.INVESTIGATING, Breach.Status.CLOSED},
        Breach.Status.INVESTIGATING: {Breach.Status.NOTICE_SERVED, Breach.Status.CLOSED},
        # Closed straight from a notice only once the licence has ended (breach_transition).
        Breach.Status.NOTICE_SERVED: {
            Breach.Status.REMEDIED,
            Breach.Status.ESCALATED,
            Breach.Status.CLOSED,
        },
        Breach.Status.REMEDIED: {Breach.Status.CLOSED},
        Breach.Status.ESCALATED: {Breach.Status.CLOSED},
        Breach.Status.CLOSED: set(),
    }
)

# Someone found on a pitch is since authorised, or has left: either closes the record, as the
# ending of the licence they were found under does.
UNAUTHORISED_OCCUPANT = Lifecycle(
    {
        UnauthorisedOccupant.Status.OPEN: {
            UnauthorisedOccupant.Status.AUTHORISED,
            UnauthorisedOccupant.Status.LEFT,
            UnauthorisedOccupant.Status.LICENCE_ENDED,
        },
        UnauthorisedOccupant.Status.AUTHORISED: set(),
        UnauthorisedOccupant.Status.LEFT: set(),
        UnauthorisedOccupant.Status.LICENCE_ENDED: set(),
    }
)
