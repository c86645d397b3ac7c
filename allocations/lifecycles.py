"""Each allocations record with a status has one transition table here (which status may
follow which). Services move records with `<LIFECYCLE>.move(record, to, refusal=...)`; pages
are given the actions allowed now (allocations.selectors.actions), never status strings."""

from allocations.models import (
    AllocationDecision,
    Application,
    Assessment,
    DirectLet,
    Interview,
    Nomination,
    Offer,
    SiteVisit,
    Vacancy,
)
from config.kernel.lifecycle import Lifecycle

_A = Application.Status
APPLICATION = Lifecycle(
    {
        _A.DRAFT: {_A.SUBMITTED, _A.WITHDRAWN},
        _A.SUBMITTED: {_A.ACTIVE, _A.INVALID, _A.REFUSED, _A.WITHDRAWN},
        _A.INVALID: {_A.SUBMITTED, _A.WITHDRAWN},
        # Refused registration: not admitted (or, reassessed with no housing need, no longer
        # qualifying); active again only when a review overturns the refusal.
        _A.REFUSED: {_A.ACTIVE, _A.WITHDRAWN},
        _A.ACTIVE: {_A.SUSPENDED, _A.LAPSED, _A.WITHDRAWN, _A.HOUSED, _A.REFUSED},
        _A.SUSPENDED: {_A.ACTIVE, _A.LAPSED, _A.WITHDRAWN},
        _A.LAPSED: {_A.ACTIVE, _A.WITHDRAWN},
        _A.WITHDRAWN: set(),
        # A let that fell through before signing: the application is live again.
        _A.HOUSED: {_A.ACTIVE},
    }
)

_V = Vacancy.Status
# Advertised by an officer, closed when its shortlist is frozen, let when an allocation is
# approved; withdrawn (with a reason) any time before it is let; a let falls through when the
# household withdraws before the agreement is signed.
VACANCY = Lifecycle(
    {
        _V.DRAFT: {_V.ADVERTISED, _V.WITHDRAWN},
        _V.ADVERTISED: {_V.CLOSED, _V.WITHDRAWN},
        _V.CLOSED: {_V.LET, _V.WITHDRAWN},
        _V.LET: {_V.FELL_THROUGH},
        _V.FELL_THROUGH: set(),
        _V.WITHDRAWN: set(),
    }
)

_O = Offer.Status
OFFER = Lifecycle(
    {
        _O.OPEN: {_O.ACCEPTED, _O.REFUSED, _O.WITHDRAWN},
        _O.ACCEPTED: {_O.WITHDRAWN},
        _O.REFUSED: set(),
        _O.WITHDRAWN: set(),
    }
)

_D = AllocationDecision.Status
DECISION = Lifecycle(
    {_D.AWAITING: {_D.APPROVED, _D.RETURNED}, _D.APPROVED: set(), _D.RETURNED: set()}
)

_I = Interview.Status
INTERVIEW = Lifecycle(
    {
        _I.SCHEDULED: {_I.HELD, _I.NOT_ATTENDED, _I.CANCELLED},
        _I.HELD: set(),
        _I.NOT_ATTENDED: set(),
        _I.CANCELLED: set(),
    }
)

_S = SiteVisit.Status
SITE_VISIT = Lifecycle(
    {
        _S.ARRANGED: {_S.HELD, _S.NOT_ATTENDED, _S.CANCELLED},
        _S.HELD: set(),
        _S.NOT_ATTENDED: set(),
        _S.CANCELLED: set(),
    }
)

_R = Assessment.Override
# An assessment's override: asked for, then approved or rejected by a team leader; asked for
# again after a decision.
OVERRIDE = Lifecycle(
    {
        _R.NONE: {_R.PENDING},
        _R.PENDING: {_R.APPROVED, _R.REJECTED},
        _R.APPROVED: {_R.PENDING},
        _R.REJECTED: {_R.PENDING},
    },
    field="override_status",
)

_N = Nomination.Status
# Sent to the provider, who accepts or rejects; a rejection is reviewed by the council's
# officer (challenged: back to the provider; or accepted, and the next household nominated);
# an accepted nomination is let when the provider confirms its tenancy start date.
NOMINATION = Lifecycle(
    {
        _N.SENT: {_N.ACCEPTED, _N.REJECTED, _N.WITHDRAWN},
        _N.ACCEPTED: {_N.LET, _N.WITHDRAWN},
        _N.REJECTED: {_N.SENT, _N.REJECTION_ACCEPTED},
        _N.REJECTION_ACCEPTED: set(),
        _N.LET: set(),
        _N.WITHDRAWN: set(),
    }
)

_DL = DirectLet.Status
# Proposed, then decided by a team leader; an approved let not let in time lapses (the
# nightly run), or an officer closes it with a reason.
DIRECT_LET = Lifecycle(
    {
        _DL.PROPOSED: {_DL.APPROVED, _DL.DECLINED},
        _DL.APPROVED: {_DL.LAPSED, _DL.CLOSED},
        _DL.DECLINED: set(),
        _DL.LAPSED: set(),
        _DL.CLOSED: set(),
    }
)
