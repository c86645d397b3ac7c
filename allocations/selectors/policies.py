"""Which policy version is in force, and the published versions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from allocations import rules
from allocations.models import (
    Application,
    PolicyVersion,
    Scheme,
    Vacancy,
)
from config.kernel.dates import page_date


def policy_in_force(*, scheme: str, on: date) -> PolicyVersion:
    version = (
        PolicyVersion.objects.filter(scheme=scheme, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise ValidationError(
            f"No {Scheme(scheme).label.lower()} policy was in force on {page_date(on)}."
        )
    return version


def lettings_in_force(*, on: date) -> rules.LettingsRules:
    """The choice-based lettings settings of the policy in force on a day (its auto-bid
    groups, its list of parishes if it has one); the defaults when no policy is in force."""
    try:
        version = policy_in_force(scheme=Scheme.CBL, on=on)
    except ValidationError:
        return rules.LettingsRules()
    return version.policy.lettings


def local_connection_in_force(*, on: date) -> rules.ConnectionRules:
    """The local connection settings of the lettings policy in force on a day (with its list
    of parishes, if it has one); the defaults, with no list, when no policy is in force."""
    return lettings_in_force(on=on).local_connection


def adverts_parish_unlisted(adverts: Iterable[Vacancy]) -> set[int]:
    """The choice-based lettings adverts among these whose parish the lettings policy in force
    at their close does not list: a home re-advertised keeps the parish of the advert before
    it, unchecked (the close that re-advertises it must not stop), so one from before the list
    may carry a slip that makes every bid for it tier 3. One read of the policy a closing day."""
    in_force: dict[date, rules.ConnectionRules] = {}
    unlisted: set[int] = set()
    for advert in adverts:
        if advert.scheme != Scheme.CBL or not advert.parish.strip() or advert.closes_on is None:
            continue
        if advert.closes_on not in in_force:
            in_force[advert.closes_on] = local_connection_in_force(on=advert.closes_on)
        if in_force[advert.closes_on].parish_named(advert.parish) is None:
            unlisted.add(advert.pk)
    return unlisted


def policy_for(application: Application):
    return policy_in_force(scheme=application.scheme, on=timezone.localdate())


def policy_versions() -> QuerySet:
    return PolicyVersion.objects.select_related("published_by").order_by(
        "scheme", "-effective_from"
    )
