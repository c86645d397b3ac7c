"""What a household needs from a home, recorded with who and why: its access category from an
occupational therapist's or medical assessment, a group exempt from the connection test, and
the preferences the auto-bidder bids by."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import rules
from allocations.models import Application, AutoBidPreference, Scheme, Vacancy
from allocations.selectors.autobids import auto_bid_last_change
from allocations.selectors.policies import policy_in_force
from allocations.services.applications import application_locked
from config.kernel.dates import page_date, page_time
from config.kernel.records import reason_required, save, save_unique


def _lettings() -> rules.LettingsRules:
    return policy_in_force(scheme=Scheme.CBL, on=timezone.localdate()).policy.lettings


# An occupational therapist's or medical findings, as the officer summarises them: longer
# than a reason for a change, which the history's reasons are kept to.
ASSESSMENT_MAX_LENGTH = 2000


def access_needs_problems(*, category: str | None, assessment: str | None) -> dict[str, str]:
    """Why an access category with its assessment would be refused, by field ({} when not):
    every problem at once, so the page tells them together."""
    problems = {}
    if category not in [c["code"] for c in _lettings().access_categories]:
        problems["category"] = "Select one of the policy's access categories"
    stripped = (assessment or "").strip()
    if not stripped:
        problems["assessment"] = "Enter the assessment: who assessed, when and what they found"
    elif len(stripped) > ASSESSMENT_MAX_LENGTH:
        problems["assessment"] = (
            f"The assessment must be {ASSESSMENT_MAX_LENGTH} characters or fewer"
        )
    return problems


@transaction.atomic
def access_needs_record(
    *, application: Application, category: str, assessment: str, by: AbstractBaseUser
) -> Application:
    """The household's access category (the policy's list, A to F) and the assessment it
    comes from (who assessed, when, what they found). The history's reason names the
    category and the one before it, never the findings (health data, withheld from the
    history for readers without special-category access)."""
    if problems := access_needs_problems(category=category, assessment=assessment):
        raise ValidationError(problems)
    application = application_locked(application)
    before = application.access_category
    application.access_category = category
    application.access_assessment = assessment.strip()
    application.needs_accessible_home = category != rules.GENERAL_NEEDS
    if before == category:
        reason = f"Access assessment recorded again: category {category.upper()} unchanged"
    else:
        was = before.upper() if before else "not assessed"
        reason = f"Access category {category.upper()} (was {was}) from an assessment"
    save(application, by=by, reason=reason)
    return application


def connection_exemption_problems(*, group: str | None, reason: str | None) -> dict[str, str]:
    """Why an exemption from the connection test would be refused, by field ({} when not)."""
    problems = {}
    if group and not _lettings().local_connection.exempt_label(group):
        problems["group"] = "Select one of the policy's exempt groups"
    try:
        reason_required(reason)
    except ValidationError as error:
        problems.update({field: errors[0] for field, errors in error.message_dict.items()})
    return problems


@transaction.atomic
def connection_exemption_record(
    *, application: Application, group: str, reason: str, by: AbstractBaseUser
) -> Application:
    """A group the policy exempts from the local connection test (with the evidence seen);
    an empty group ends the exemption. The application keeps who recorded it, when and why
    (the Bids page says them; recorded again with new evidence, the new recording's), and
    nothing of it once it ends; the history's reason says what changed and why."""
    if problems := connection_exemption_problems(group=group, reason=reason):
        raise ValidationError(problems)
    local = _lettings().local_connection
    application = application_locked(application)
    before = application.connection_exempt_group

    def named(code: str) -> str:
        return local.exempt_label(code) or code

    if group and group == before:
        change = f"Still exempt from the connection test as {named(group)}"
    elif group:
        was = f" (was {named(before)})" if before else ""
        change = f"Exempt from the connection test as {named(group)}{was}"
    elif before:
        change = f"No longer exempt from the connection test (was {named(before)})"
    else:
        change = "Not exempt from the connection test"
    evidence = reason_required(reason)
    application.connection_exempt_group = group
    application.connection_exempt_reason = evidence if group else ""
    application.connection_exempt_recorded_by = by if group else None
    application.connection_exempt_recorded_at = timezone.now() if group else None
    save(application, by=by, reason=f"{change}: {evidence}")
    return application


def auto_bid_preference_problems(
    *,
    group: str | None,
    areas: list[str] | None = None,
    home_types: list[str] | None = None,
    active: bool = True,
    recorded_areas: Sequence[str] = (),
) -> dict[str, str | list[str]]:
    """Every refusal of `auto_bid_preference_save` at once, without writing. A value not
    known (None) is not checked. Stopping auto-bidding (`active` false) is not refused for
    what it keeps: a blank group keeps the one recorded, and the areas already recorded
    (before the policy listed its parishes, say) are checked when it is turned on again."""
    lettings = _lettings()
    problems: dict[str, str | list[str]] = {}
    if (
        group is not None
        and (group or active)
        and group not in {g["code"] for g in lettings.auto_bid_groups}
    ):
        problems["group"] = "The policy does not auto-bid for that group"
    local = lettings.local_connection
    kept = set() if active else set(recorded_areas)
    checked = [area for area in areas or [] if area not in kept]
    if refused := [r for area in checked if (r := local.parish_refusal(area))]:
        problems["areas"] = refused
    if set(home_types or []) - set(Vacancy.HomeType.values):
        problems["home_types"] = "Select the types of home from the list"
    return problems


# The code of the refusal of a save made on preferences changed since they were read: the page
# then shows them as they now are, so that saving again, having checked them, is taken.
AUTO_BID_CHANGED_SINCE = "changed_since"
_CHANGED_SINCE = (
    "{who} changed these auto-bidding preferences{when} after you opened this page: "
    "check them and save again"
)


def auto_bid_preference_changed_since(
    *, application: Application, last_change_seen: int | None
) -> str:
    """Why a save is refused when the household's auto-bid preferences changed after the
    page it was made on read them ("" when they have not): `last_change_seen` is the history
    row of their latest change then (None: none were recorded). Saved, it would silently undo
    a colleague's change that its officer never saw."""
    last = auto_bid_last_change(application)
    if (last.history_id if last else None) == last_change_seen:
        return ""
    if last is None:  # the preferences read have gone (only a purge removes history)
        return _CHANGED_SINCE.format(who="Someone", when="")
    who = last.history_user
    at = timezone.localtime(last.history_date)
    return _CHANGED_SINCE.format(
        who=(who.get_full_name() or who.get_username()) if who else "Someone",
        # UK time; a change on an earlier day (a page left open overnight) says the day too.
        when=f" at {page_time(at)}"
        + ("" if at.date() == timezone.localdate() else f" on {page_date(at)}"),
    )


@transaction.atomic
def auto_bid_preference_save(
    *,
    application: Application,
    group: str,
    reason: str,
    by: AbstractBaseUser,
    last_change_seen: int | None,
    areas: list[str] | None = None,
    home_types: list[str] | None = None,
    highest_floor: int | None = None,
    active: bool = True,
) -> AutoBidPreference:
    """Flag a household for the auto-bidder (a group the policy names) with its preferences,
    or stop its auto-bidding (`active=False`: the preferences are kept), with why.
    The auto-bidder matches an area with an advert's parish (or its area): where the lettings
    policy lists the council's parishes, each area must be one of them (kept as the policy
    spells it), or a slip ("Hyth") would silently mean it never bids for the household.

    `last_change_seen` is the latest change of the preferences when the officer read them
    (`selectors.auto_bid_last_change`; None when none were recorded). A household has one set
    of preferences, so its application's row and then the preferences' are locked: two
    officers saving at once are taken in turn, and a save made on preferences that changed
    since they were read (the second of two, or a page left open) is refused, naming who
    changed them and when, and writes nothing (`AUTO_BID_CHANGED_SINCE`)."""
    recorded = AutoBidPreference.objects.filter(application=application).first()
    problems = auto_bid_preference_problems(
        group=group,
        areas=areas,
        home_types=home_types,
        active=active,
        recorded_areas=recorded.areas if recorded else (),
    )
    if application.scheme != Scheme.CBL:
        problems[NON_FIELD_ERRORS] = "Auto-bidding is for choice-based lettings applications"
    try:
        reason = reason_required(reason)
    except ValidationError as error:
        problems |= error.message_dict
    if problems:
        raise ValidationError(problems)
    local = _lettings().local_connection
    application = application_locked(application)
    preference = (
        AutoBidPreference.objects.select_for_update().filter(application=application).first()
    )
    if refusal := auto_bid_preference_changed_since(
        application=application, last_change_seen=last_change_seen
    ):
        raise ValidationError(refusal, code=AUTO_BID_CHANGED_SINCE)
    if not group:
        # Stopping it: the group recorded is kept (it may be one the policy no longer names).
        if preference is None or not preference.group:
            raise ValidationError({"group": "Select why the council bids for the household"})
        group = preference.group
    if preference is None:
        preference = AutoBidPreference(application=application)
        change = "Auto-bidding set up" if active else "Auto-bid preferences recorded, not bidding"
    elif preference.active != active:
        change = "Auto-bidding started again" if active else "Auto-bidding stopped"
    else:
        change = "Auto-bid preferences changed"
    preference.group = group
    preference.areas = [local.parish_named(area) or area for area in areas or []]
    preference.home_types = home_types or []
    preference.highest_floor = highest_floor
    preference.active = active
    # The application's lock takes two first saves in turn, the second refused above; were it
    # ever not taken, the one-to-one's unique constraint refuses the second in the same words.
    save_unique(
        preference,
        by=by,
        reason=f"{change}: {reason}",
        refusals={
            "application": lambda: ValidationError(
                auto_bid_preference_changed_since(application=application, last_change_seen=None)
                or _CHANGED_SINCE.format(who="Someone", when=""),
                code=AUTO_BID_CHANGED_SINCE,
            )
        },
    )
    return preference
