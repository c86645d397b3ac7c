"""The allocation engine's pure rules: bedroom need, scoring, ranking and the default policies.

Nothing here touches the database, so every rule can be tested exhaustively and every answer
carries its reasons in plain English: an applicant, an officer or an ombudsman must be able to
see why a household needs so many bedrooms and why one application ranks above another.

One module per subject; this package re-exports their public names, so callers write
`from allocations import rules` and `rules.bedroom_need(...)` wherever the rule lives.
"""

from allocations.rules.bedrooms import (
    EXPECTED_CHILD_KEY,
    LONGEST_PREGNANCY,
    SIZE_CRITERIA,
    STANDARD_BEDROOM,
    BedroomNeed,
    BedroomStandard,
    Occupant,
    Sex,
    bedroom_need,
    occupants_with_pregnancy,
)
from allocations.rules.dates import MONTH_NAMES, age_on, date_in_words, is_whole_number
from allocations.rules.defaults import (
    DEFAULT_CBL_POLICY,
    DEFAULT_PITCH_POLICY,
    PARTNER_KINDS,
    decision_checklist,
    required_checks,
)
from allocations.rules.lettings import (
    GENERAL_NEEDS,
    WEEKDAYS,
    Connection,
    ConnectionRules,
    CycleTimes,
    LettingsRules,
    Tier,
    backdating_group_label,
    connection_tier,
    effective_date_on_band_change,
    months_before,
    qualification_refusals,
)
from allocations.rules.need_changes import NeedChange, birthday, need_changes, need_on
from allocations.rules.policy import (
    OPTIONAL_POLICY_KEYS,
    POLICY_KEYS,
    POLICY_SCHEMES,
    ChecklistItem,
    Policy,
    PolicyError,
    RefusalLimit,
    Renewal,
    policy_validate,
)
from allocations.rules.ranking import (
    LOCAL_CONNECTION_TIERS,
    Candidate,
    Ranked,
    TieBreaker,
    deciding_tie_breaker,
    explain,
    explanations,
    rank,
    rank_key,
    rank_order,
)
from allocations.rules.scoring import Criterion, PriorityScheme, Score, points_words, score

__all__ = [
    "DEFAULT_CBL_POLICY",
    "DEFAULT_PITCH_POLICY",
    "EXPECTED_CHILD_KEY",
    "GENERAL_NEEDS",
    "LOCAL_CONNECTION_TIERS",
    "LONGEST_PREGNANCY",
    "MONTH_NAMES",
    "OPTIONAL_POLICY_KEYS",
    "PARTNER_KINDS",
    "POLICY_KEYS",
    "POLICY_SCHEMES",
    "SIZE_CRITERIA",
    "STANDARD_BEDROOM",
    "WEEKDAYS",
    "BedroomNeed",
    "BedroomStandard",
    "Candidate",
    "ChecklistItem",
    "Connection",
    "ConnectionRules",
    "Criterion",
    "CycleTimes",
    "LettingsRules",
    "NeedChange",
    "Occupant",
    "Policy",
    "PolicyError",
    "PriorityScheme",
    "Ranked",
    "RefusalLimit",
    "Renewal",
    "Score",
    "Sex",
    "TieBreaker",
    "Tier",
    "age_on",
    "backdating_group_label",
    "bedroom_need",
    "birthday",
    "connection_tier",
    "date_in_words",
    "deciding_tie_breaker",
    "decision_checklist",
    "effective_date_on_band_change",
    "explain",
    "explanations",
    "is_whole_number",
    "months_before",
    "need_changes",
    "need_on",
    "occupants_with_pregnancy",
    "points_words",
    "policy_validate",
    "qualification_refusals",
    "rank",
    "rank_key",
    "rank_order",
    "required_checks",
    "score",
]
