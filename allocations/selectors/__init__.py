"""Every read a page or a report needs, already joined; one module per subject, callers import
from here. Services read through these too."""

from allocations.selectors.actions import (
    application_actions,
    offer_actions,
    vacancy_actions,
)
from allocations.selectors.applications import (
    application_by_reference,
    application_detail_queryset,
    application_list,
    application_or_404,
    case_history_steps,
    case_summary,
    latest_offer,
    record_history_rows,
)
from allocations.selectors.checks import (
    check_detail_queryset,
    checks_cleared,
    checks_outstanding,
    partner_list,
)
from allocations.selectors.decisions import (
    decision_facts,
    decision_licence,
    decisions_awaiting,
    decisions_with_cases,
    offer_decisions,
    offer_detail_queryset,
)
from allocations.selectors.lettings import (
    next_in_order,
    shortlist,
    vacancy_bids,
    vacancy_detail_queryset,
    vacancy_list,
    vacancy_offers,
)
from allocations.selectors.policies import (
    policy_for,
    policy_in_force,
    policy_versions,
)
from allocations.selectors.ranking import (
    RankingRow,
    Replay,
    ReplayLine,
    ineligibility,
    row_snapshot,
    shortlist_rank,
    shortlist_replay,
    shortlist_snapshots,
    snapshot_candidate,
    tie_breakers,
)

__all__ = [
    "RankingRow",
    "Replay",
    "ReplayLine",
    "application_actions",
    "application_by_reference",
    "application_detail_queryset",
    "application_list",
    "application_or_404",
    "case_history_steps",
    "case_summary",
    "check_detail_queryset",
    "checks_cleared",
    "checks_outstanding",
    "decision_facts",
    "decision_licence",
    "decisions_awaiting",
    "decisions_with_cases",
    "ineligibility",
    "latest_offer",
    "next_in_order",
    "offer_actions",
    "offer_decisions",
    "offer_detail_queryset",
    "partner_list",
    "policy_for",
    "policy_in_force",
    "policy_versions",
    "record_history_rows",
    "row_snapshot",
    "shortlist",
    "shortlist_rank",
    "shortlist_replay",
    "shortlist_snapshots",
    "snapshot_candidate",
    "tie_breakers",
    "vacancy_actions",
    "vacancy_bids",
    "vacancy_detail_queryset",
    "vacancy_list",
    "vacancy_offers",
]
