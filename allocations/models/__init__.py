"""The allocation engine's records, one module per subject: policy versions, applications
(with evidence and validations), letters, assessments, lettings (vacancies, bids, frozen
shortlists) and casework (checks and partners, interviews, site visits, offers, decisions), and the
holder of the management reports' permission.

Django finds every model through this package; callers import them from here."""

from allocations.models.applications import (
    Application,
    ApplicationValidation,
    EvidenceDocument,
)
from allocations.models.assessments import (
    Assessment,
)
from allocations.models.band_reviews import (
    BandReview,
)
from allocations.models.checks import (
    CheckException,
    DueDiligenceCheck,
    Partner,
)
from allocations.models.communications import (
    Contact,
    InboxDocument,
)
from allocations.models.core import (
    CoreLetAnswers,
    CorePersonAnswers,
)
from allocations.models.corrections import (
    Correction,
)
from allocations.models.cycles import (
    AdvertPhoto,
    AutoBidPreference,
    BiddingCycle,
    CycleNewsletter,
    HouseholdConnection,
    LetResult,
    LocalLettingsPlan,
    NewsletterRecipient,
)
from allocations.models.decisions import (
    AllocationDecision,
    DecisionReview,
)
from allocations.models.directlets import (
    DirectLet,
)
from allocations.models.extracare import (
    ExtraCareLet,
    ExtraCarePanel,
    ExtraCarePanelItem,
    ExtraCarePanelPack,
    ExtraCareReferral,
)
from allocations.models.housekeeping import (
    BedroomNeedChange,
    Renewal,
)
from allocations.models.interviews import (
    Interview,
)
from allocations.models.letters import (
    Letter,
    LetterWording,
)
from allocations.models.lettings import (
    Bid,
    ShortlistEntry,
    Vacancy,
)
from allocations.models.nominations import (
    Nomination,
    NominationShowing,
)
from allocations.models.offers import (
    Offer,
)
from allocations.models.policies import (
    PolicyVersion,
    Scheme,
)
from allocations.models.registration import (
    RegistrationRefusal,
)
from allocations.models.reports import (
    Reports,
)
from allocations.models.resales import (
    Purchaser,
    ResaleCase,
    ResaleNomination,
    ResaleStep,
)
from allocations.models.support import (
    CaseConference,
    Referral,
    VulnerabilityInterview,
)
from allocations.models.visits import (
    SiteVisit,
)

__all__ = [
    "AdvertPhoto",
    "AllocationDecision",
    "Application",
    "ApplicationValidation",
    "Assessment",
    "AutoBidPreference",
    "BandReview",
    "BedroomNeedChange",
    "Bid",
    "BiddingCycle",
    "CaseConference",
    "CheckException",
    "Contact",
    "CoreLetAnswers",
    "CorePersonAnswers",
    "Correction",
    "CycleNewsletter",
    "DecisionReview",
    "DirectLet",
    "DueDiligenceCheck",
    "EvidenceDocument",
    "ExtraCareLet",
    "ExtraCarePanel",
    "ExtraCarePanelItem",
    "ExtraCarePanelPack",
    "ExtraCareReferral",
    "HouseholdConnection",
    "InboxDocument",
    "Interview",
    "LetResult",
    "Letter",
    "LetterWording",
    "LocalLettingsPlan",
    "NewsletterRecipient",
    "Nomination",
    "NominationShowing",
    "Offer",
    "Partner",
    "PolicyVersion",
    "Purchaser",
    "Referral",
    "RegistrationRefusal",
    "Renewal",
    "Reports",
    "ResaleCase",
    "ResaleNomination",
    "ResaleStep",
    "Scheme",
    "ShortlistEntry",
    "SiteVisit",
    "Vacancy",
    "VulnerabilityInterview",
]
