"""Who may do what to one allocations record: the permission predicates, in one place.

Views and services alike ask `user.has_perm("allocations.decide_proposal", decision)` (or
`config.kernel.permissions.require`, which raises PermissionDenied). The role a person needs
is still the Django permission from config/roles.py; these add what depends on the record
(four eyes: nobody decides what they proposed or asked for; criminal-record answers).
"""

import rules

APPROVE_DECISION = "allocations.approve_allocationdecision"
APPROVE_OVERRIDE = "allocations.approve_override"
ADD_CHECK_EXCEPTION = "allocations.add_checkexception"
SPECIAL_CATEGORY = "config.view_special_category"


def holds(permission: str) -> rules.Predicate:
    """The person holds a model permission through their role (config/roles.py)."""

    @rules.predicate(name=f"holds {permission}")
    def predicate(user) -> bool:
        return user.has_perm(permission)

    return predicate


@rules.predicate
def is_proposer(user, decision) -> bool:
    """The person proposed this allocation decision."""
    return decision is not None and decision.proposed_by_id == user.pk


@rules.predicate
def made_the_offer(user, decision) -> bool:
    """The person made the offer this decision would let: they chose the household, so
    approving the let would be checking their own work."""
    return decision is not None and decision.offer.made_by_id == user.pk


@rules.predicate
def is_override_requester(user, assessment) -> bool:
    """The person asked for this assessment's override (recorded on the assessment)."""
    return assessment is not None and assessment.override_requested_by_id == user.pk


@rules.predicate
def is_criminal_record_check(user, check) -> bool:
    """Police and probation answers are criminal-record data (UK GDPR art. 10)."""
    return check is not None and check.is_criminal_record


@rules.predicate
def granted_checks_exception(user, decision) -> bool:
    """The person let this case go to offer without all its checks: they do not approve it."""
    from allocations.models import CheckException

    return (
        decision is not None
        and CheckException.objects.filter(
            application_id=decision.offer.application_id, decided_by_id=user.pk
        ).exists()
    )


def team_leaders():
    """Active people holding the team leader's role."""
    from django.contrib.auth import get_user_model

    from config.roles import TEAM_LEADER

    return get_user_model().objects.filter(is_active=True, groups__name=TEAM_LEADER.name)


@rules.predicate
def proposer_is_the_only_team_leader(user, decision) -> bool:
    if decision is None:
        return False
    leaders = set(team_leaders().values_list("pk", flat=True))
    return leaders == {decision.proposed_by_id}


@rules.predicate
def is_decision_deputy(user) -> bool:
    """The council's named deputy (settings.DECISION_DEPUTY): the head of service, or one
    named person, who decides when the only team leader proposed."""
    from django.conf import settings

    from config.roles import HEAD_OF_SERVICE

    deputy = settings.DECISION_DEPUTY
    if deputy == HEAD_OF_SERVICE.name:
        return user.is_active and user.groups.filter(name=HEAD_OF_SERVICE.name).exists()
    return user.is_active and user.get_username() == deputy


@rules.predicate
def works_for_the_provider(user, nomination) -> bool:
    """The person is on the staff of the provider whose home the nomination is for."""
    from sites.models import ProviderStaff

    return (
        nomination is not None
        and ProviderStaff.objects.filter(
            user_id=user.pk, provider_id=nomination.provider_id
        ).exists()
    )


@rules.predicate
def is_direct_let_proposer(user, direct_let) -> bool:
    """The person proposed this direct let."""
    return direct_let is not None and direct_let.proposed_by_id == user.pk


# A team leader decides a proposed allocation, never the one who proposed it, made its offer
# or granted its checks exception; when the only team leader proposed, the council's deputy.
can_decide_proposal = (
    (holds(APPROVE_DECISION) | (is_decision_deputy & proposer_is_the_only_team_leader))
    & ~is_proposer
    & ~made_the_offer
    & ~granted_checks_exception
)
# A team leader decides an assessment override, never the one who asked for it.
can_decide_override = holds(APPROVE_OVERRIDE) & ~is_override_requester
# A check's answer is shown unless it is criminal-record data and the person may not see it.
can_see_check_outcome = ~is_criminal_record_check | holds(SPECIAL_CATEGORY)

rules.add_perm("allocations.decide_proposal", can_decide_proposal)
rules.add_perm("allocations.decide_override", can_decide_override)
# A team leader approves or declines a direct let, never one they proposed.
rules.add_perm(
    "allocations.decide_direct_let",
    holds("allocations.decide_directlet") & ~is_direct_let_proposer,
)
rules.add_perm("allocations.see_check_outcome", can_see_check_outcome)
# A provider's staff member sees and answers only their own provider's nominations.
rules.add_perm(
    "allocations.answer_this_nomination",
    holds("allocations.answer_nomination") & works_for_the_provider,
)
