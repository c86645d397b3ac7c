"""The default policies, as data: the one place a policy's defaults are written down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from allocations.rules.bedrooms import STANDARD_BEDROOM
from allocations.rules.lettings import LettingsRules
from allocations.rules.ranking import TieBreaker
from allocations.rules.scoring import Criterion, PriorityScheme

# Illustrative points in the style of Kent's 2012 pitch allocation policy (a needs assessment
# scored with points). The council sets the real values when it publishes its policy; these
# only need to be realistic and ordered by need: having nowhere lawful to stay comes first.
_PITCH_CRITERIA = (
    Criterion("roadside", "Roadside or with no authorised place to stay", points=100, band=None),
    Criterion("pitch_overcrowding", "Overcrowding on the current pitch", points=50, band=None),
    Criterion(
        "medical_stable_base",
        "Medical need or disability requiring a stable base",
        points=50,
        band=None,
    ),
    Criterion("insecure_site", "Living on a site without security of tenure", points=40, band=None),
    Criterion(
        "children_education", "Children's education needs a settled base", points=30, band=None
    ),
    Criterion("family_support", "Giving or receiving family support nearby", points=20, band=None),
    Criterion("local_connection", "Local connection to the area", points=20, band=None),
)

# Homes4Wiltshire's bands, as DOMAIN.md lists them.
_CBL_CRITERIA = (
    Criterion("statutory_requirement", "Statutory requirement", points=None, band=1),
    Criterion("priority_move_on", "Priority move-on", points=None, band=1),
    Criterion("urgent_medical_welfare", "Urgent medical or welfare need", points=None, band=1),
    Criterion("care_leaver", "Care leaver aged up to 25", points=None, band=1),
    Criterion(
        "social_tenant_under_occupying", "Social tenant under-occupying", points=None, band=1
    ),
    Criterion("under_occupying_hardship", "Under-occupying with hardship", points=None, band=2),
    Criterion("social_care_priority", "Social-care priority", points=None, band=2),
    Criterion("no_fixed_abode", "No fixed abode or insecure tenure", points=None, band=3),
    Criterion(
        "temporary_or_supported",
        "Temporary or supported accommodation",
        points=None,
        band=3,
    ),
    Criterion("serious_overcrowding", "Serious overcrowding", points=None, band=3),
    Criterion("medical_welfare", "Medical or welfare need", points=None, band=3),
    Criterion(
        "lacking_or_sharing_facilities", "Lacking or sharing facilities", points=None, band=4
    ),
)

# Renewal letters: a reminder before the renewal date; no reply 28 days after the last letter
# puts the application on hold; 60 days after that it is closed (DOMAIN: "Renewals").
_RENEWAL = {"reminder_days_before": 28, "hold_after_days": 28, "close_after_days": 60}

# Checks that must be back before an offer (partner kinds), unless a team leader records an
# exception. Versions published before these settings existed use these defaults.
_PITCH_REQUIRED_CHECKS = ("police", "previous_landlord")
_CBL_REQUIRED_CHECKS = ("previous_landlord",)

# What the officer answers, clause by clause, when proposing an allocation for approval.
_COMMON_DECISION_CHECKLIST = (
    {
        "code": "shortlist_order",
        "label": "The offer followed the shortlist order, or every bypass has a recorded reason",
    },
    {
        "code": "still_eligible",
        "label": "The household was still eligible, with the circumstances it was ranked on",
    },
    {
        "code": "checks_returned",
        "label": "The required checks are back, or a team leader recorded an exception",
    },
    {"code": "interview_held", "label": "The household was interviewed and the outcome recorded"},
)
_PITCH_DECISION_CHECKLIST = (
    *_COMMON_DECISION_CHECKLIST,
    {
        "code": "site_visit_held",
        "label": "A site familiarisation visit was held with two officers",
    },
    {
        "code": "pitch_suits_household",
        "label": "The pitch suits the household: caravans, access and amenity block",
    },
)
_CBL_DECISION_CHECKLIST = (
    *_COMMON_DECISION_CHECKLIST,
    {
        "code": "home_suits_household",
        "label": "The home suits the household: bedroom need and accessibility",
    },
)
PARTNER_KINDS = (
    "police",
    "previous_landlord",
    "other_council",
    "social_care",
    "probation",
    "other",
)


def required_checks(policy_rules: Mapping[str, Any]) -> list[str]:
    """Partner kinds whose checks must be back before an offer under this policy."""
    if "required_checks" in policy_rules:
        return list(policy_rules["required_checks"])
    pitch = policy_rules.get("scheme") == "pitch"
    return list(_PITCH_REQUIRED_CHECKS if pitch else _CBL_REQUIRED_CHECKS)


def bypass_needs_team_leader(policy_rules: Mapping[str, Any]) -> bool:
    """Whether passing over a higher-ranked applicant needs a team leader's agreement (not an
    officer alone). Versions published before this setting existed: yes."""
    return bool(policy_rules.get("bypass_needs_team_leader", True))


def decision_checklist(policy_rules: Mapping[str, Any]) -> list[dict[str, str]]:
    """The clauses an officer answers when proposing an allocation under this policy."""
    if "decision_checklist" in policy_rules:
        return [dict(clause) for clause in policy_rules["decision_checklist"]]
    pitch = policy_rules.get("scheme") == "pitch"
    return [dict(c) for c in (_PITCH_DECISION_CHECKLIST if pitch else _CBL_DECISION_CHECKLIST)]


DEFAULT_PITCH_POLICY: dict[str, Any] = {
    "name": "Gypsy and Traveller Pitch Allocation Policy",
    "scheme": "pitch",
    "priority_scheme": PriorityScheme.POINTS.value,
    "lowest_band": None,
    "criteria": [criterion.to_dict() for criterion in _PITCH_CRITERIA],
    # Points, then the earliest effective (priority) date, then the earliest registration.
    "tie_breakers": [
        TieBreaker.POINTS.value,
        TieBreaker.EFFECTIVE_DATE.value,
        TieBreaker.REGISTRATION_DATE.value,
    ],
    "bedroom_standard": STANDARD_BEDROOM.to_dict(),
    "eligibility": [
        {"code": "aged_18_or_over", "label": "Aged 18 or over"},
        {
            "code": "gypsy_or_traveller_status",
            # Not the Housing Act 2004 s.225 definition: that section was repealed by the
            # Housing and Planning Act 2016 s.124 (published version 1 still names it).
            "label": "Gypsy or Traveller status (ethnicity, or the planning definition)",
        },
        {
            "code": "consent_to_enquiries",
            "label": "Consent to enquiries of the police and other councils",
        },
        {"code": "two_references", "label": "Two checkable references, not from family"},
    ],
    "exclusions": [
        {
            "code": "violence_court_order",
            "label": "A court order for violence in the last 3 years",
        },
        {"code": "threats_to_staff", "label": "Threats or violence towards staff"},
        {
            "code": "former_pitch_arrears",
            "label": "Arrears on a former council pitch with no repayment agreement kept to",
        },
    ],
    # Pitches are scarce: a refused suitable pitch delays someone else. The council sets the
    # limit; this mirrors the Wiltshire lettings rule so both schemes treat refusals alike.
    "refusal_limit": {"count": 2, "suspension_months": 12},
    # Pitch applications lapse after 12 months unless renewed.
    "lapse_months": 12,
    "renewal": dict(_RENEWAL),
    # A deposit of two weeks' pitch fee.
    "deposit_weeks": 2,
    # An applicant may ask for a review within 28 days of a decision.
    "review_days": 28,
    "required_checks": list(_PITCH_REQUIRED_CHECKS),
    "decision_checklist": [dict(clause) for clause in _PITCH_DECISION_CHECKLIST],
    "bypass_needs_team_leader": True,
    # The case officer is told this many days before a bedroom-need change (issue 15).
    "need_alert_days": 28,
    # Reaching the refusal limit suspends ("lowest_band": the lowest band for the period).
    "refusal_penalty": "suspend",
    # From 18 a young person may need a caravan of their own: the officer is told ahead, to
    # reassess the pitch need with the household (issue 15). null: no such standard.
    "own_caravan_age": 18,
}

DEFAULT_CBL_POLICY: dict[str, Any] = {
    "name": "Choice-based lettings allocation policy",
    "scheme": "cbl",
    "priority_scheme": PriorityScheme.BANDS.value,
    "lowest_band": 4,
    "criteria": [criterion.to_dict() for criterion in _CBL_CRITERIA],
    # Wiltshire puts local (parish) connection before band: own parish, then adjacent
    # parishes, then the rest of the county; band then date within each.
    "tie_breakers": [
        TieBreaker.LOCAL_CONNECTION.value,
        TieBreaker.BAND.value,
        TieBreaker.EFFECTIVE_DATE.value,
        TieBreaker.REGISTRATION_DATE.value,
    ],
    "bedroom_standard": STANDARD_BEDROOM.to_dict(),
    "eligibility": [
        {
            "code": "eligible_person",
            "label": "Eligible for an allocation (Housing Act 1996 s.160ZA: immigration status)",
        },
        {"code": "qualifying_person", "label": "Qualifies under the council's allocation scheme"},
        {
            "code": "consent_to_enquiries",
            "label": "Consent to enquiries of landlords, the police and other councils",
        },
    ],
    "exclusions": [
        {
            "code": "unacceptable_behaviour",
            "label": "Behaviour serious enough to make them unsuitable to be a tenant",
        },
        {"code": "threats_to_staff", "label": "Threats or violence towards staff"},
    ],
    # Homes4Wiltshire: two refused suitable offers lead to a 12-month suspension.
    "refusal_limit": {"count": 2, "suspension_months": 12},
    # The register is renewed yearly.
    "lapse_months": 12,
    "renewal": dict(_RENEWAL),
    "deposit_weeks": 0,
    "review_days": 28,
    "required_checks": list(_CBL_REQUIRED_CHECKS),
    "decision_checklist": [dict(clause) for clause in _CBL_DECISION_CHECKLIST],
    "bypass_needs_team_leader": True,
    # The case officer is told this many days before a bedroom-need change (issue 15).
    "need_alert_days": 28,
    # Reaching the refusal limit suspends ("lowest_band": the lowest band for the period).
    "refusal_penalty": "suspend",
    # The weekly cycle, bid limit (3), access categories, parish connection tiers, auto-bid
    # groups, qualification and effective-date rules (allocations.rules.lettings).
    **LettingsRules().to_json(),
}
