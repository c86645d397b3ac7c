"""Forms of the allocation engine, one module per subject; views import them from here."""

from allocations.forms.applications import (
    ApplicationForm,
    EvidenceForm,
    TransitionForm,
    ValidationForm,
)
from allocations.forms.assessments import (
    AssessmentForm,
    DatesForm,
    OverrideDecisionForm,
    OverrideRequestForm,
)
from allocations.forms.bypasses import (
    BypassDecisionForm,
    BypassUndoForm,
    OffersResetForm,
)
from allocations.forms.checks import (
    CheckExceptionForm,
    CheckRequestForm,
    CheckReturnForm,
    PartnerForm,
)
from allocations.forms.common import (
    CASEWORK_STAFF,
    TimeOfDayField,
    aware_moment,
    form_helper,
)
from allocations.forms.decisions import (
    DecisionForm,
    ProposalForm,
    ReviewForm,
    SampleForm,
)
from allocations.forms.interviews import (
    INTERVIEW_OUTCOMES,
    VISIT_OUTCOMES,
    InterviewForm,
    OutcomeForm,
)
from allocations.forms.lettings import (
    BypassForm,
    VacancyForm,
)
from allocations.forms.offers import (
    OfferForm,
    OfferReplyForm,
    WithdrawForm,
)
from allocations.forms.policies import (
    PolicyPublishForm,
)
from allocations.forms.visits import (
    SiteVisitForm,
)

__all__ = [
    "CASEWORK_STAFF",
    "INTERVIEW_OUTCOMES",
    "VISIT_OUTCOMES",
    "ApplicationForm",
    "AssessmentForm",
    "BypassDecisionForm",
    "BypassForm",
    "BypassUndoForm",
    "CheckExceptionForm",
    "CheckRequestForm",
    "CheckReturnForm",
    "DatesForm",
    "DecisionForm",
    "EvidenceForm",
    "InterviewForm",
    "OfferForm",
    "OfferReplyForm",
    "OffersResetForm",
    "OutcomeForm",
    "OverrideDecisionForm",
    "OverrideRequestForm",
    "PartnerForm",
    "PolicyPublishForm",
    "ProposalForm",
    "ReviewForm",
    "SampleForm",
    "SiteVisitForm",
    "TimeOfDayField",
    "TransitionForm",
    "VacancyForm",
    "ValidationForm",
    "WithdrawForm",
    "aware_moment",
    "form_helper",
]
