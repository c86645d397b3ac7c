"""Which status may follow which: one transition table per census model with a status."""

from census.models import CensusDifference, CensusReturn, CensusRound
from config.kernel.lifecycle import Lifecycle

# A round is planned, started (a return made for every pitch), then closed once every return
# is in.
ROUND = Lifecycle(
    {
        CensusRound.Status.PLANNED: {CensusRound.Status.STARTED},
        CensusRound.Status.STARTED: {CensusRound.Status.CLOSED},
        CensusRound.Status.CLOSED: set(),
    }
)

# A return is saved part-done any number of times, then submitted once.
RETURN = Lifecycle(
    {
        CensusReturn.Status.NOT_STARTED: {
            CensusReturn.Status.IN_PROGRESS,
            CensusReturn.Status.SUBMITTED,
        },
        CensusReturn.Status.IN_PROGRESS: {CensusReturn.Status.SUBMITTED},
        CensusReturn.Status.SUBMITTED: set(),
    }
)

# A difference from the records is applied to them or dismissed, once.
DIFFERENCE = Lifecycle(
    {
        CensusDifference.Status.OPEN: {
            CensusDifference.Status.APPLIED,
            CensusDifference.Status.DISMISSED,
        },
        CensusDifference.Status.APPLIED: set(),
        CensusDifference.Status.DISMISSED: set(),
    }
)
