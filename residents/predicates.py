"""Who may do what to which residents record: the object permissions, in one place.

Views ask `request.user.has_perm("residents.<name>", obj)` (or `config.kernel.permissions
.require`, which answers 403); pages are offered only the actions these allow
(`residents.selectors.*_available_actions`). Each permission is the role's model permission
(config/roles.py) and what the record's state allows (residents/lifecycles.py).
"""

import rules

from residents.lifecycles import BREACH, LICENCE
from residents.models import Breach, Licence, NewResidentVisit


def holds(permission: str) -> rules.Predicate:
    """The user's role holds this model permission (config/roles.py)."""

    @rules.predicate(name=f"holds {permission}")
    def predicate(user) -> bool:
        return user.has_perm(permission)

    return predicate


@rules.predicate
def licence_is_draft(user, licence: Licence) -> bool:
    return licence is not None and licence.status == Licence.Status.DRAFT


@rules.predicate
def licence_is_live(user, licence: Licence) -> bool:
    return licence is not None and licence.status == Licence.Status.LIVE


@rules.predicate
def licence_can_be_signed(user, licence: Licence) -> bool:
    return licence is not None and LICENCE.can_move(licence, Licence.Status.LIVE)


@rules.predicate
def breach_is_open(user, breach: Breach) -> bool:
    return breach is not None and not BREACH.is_final(breach.status)


@rules.predicate
def visit_is_open(user, visit: NewResidentVisit) -> bool:
    """Not complete, and its licence has not ended (there is no new resident to visit)."""
    return (
        visit is not None
        and visit.completed_on is None
        and not LICENCE.is_final(visit.licence.status)
    )


# "Can witness this signing": the witness is an officer who can sign up licences.
can_witness_signing = holds("residents.sign_licence")

rules.add_perm("residents.witness_licence_signing", can_witness_signing)
rules.add_perm("residents.prepare_licence", holds("residents.change_licence") & licence_is_draft)
rules.add_perm(
    "residents.sign_this_licence", holds("residents.sign_licence") & licence_can_be_signed
)
rules.add_perm("residents.end_this_licence", holds("residents.end_licence") & licence_is_live)


@rules.predicate
def introductory_under_review(user, licence: Licence) -> bool:
    return (
        licence is not None
        and licence.status == Licence.Status.LIVE
        and licence.kind == Licence.Kind.INTRODUCTORY
        and licence.introductory_review != Licence.IntroductoryReview.CONFIRMED
    )


# The introductory review: the officers and team leaders who end agreements.
rules.add_perm(
    "residents.review_introductory_tenancy",
    holds("residents.end_licence") & introductory_under_review,
)
rules.add_perm("residents.report_breach", holds("residents.add_breach") & licence_is_live)
rules.add_perm("residents.progress_breach", holds("residents.change_breach") & breach_is_open)
rules.add_perm(
    "residents.work_on_visit", holds("residents.change_newresidentvisit") & visit_is_open
)
