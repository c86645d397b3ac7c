"""Offers, strictly in shortlist order: making, accepting, refusing and withdrawing."""

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from allocations import documents, rules
from allocations.lifecycles import DECISION, OFFER
from allocations.models import (
    AllocationDecision,
    Application,
    DirectLet,
    Letter,
    Nomination,
    Offer,
    PolicyVersion,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.applications import live_offer
from allocations.selectors.checks import checks_cleared, checks_outstanding
from allocations.selectors.lettings import next_in_order
from allocations.selectors.policies import policy_for
from allocations.services.applications import application_locked, application_move
from allocations.services.bids import shortlists_offer_ended, shortlists_under_offer
from allocations.services.cases import case_open_problems, local_day
from allocations.services.letters import letter_request
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_date
from config.kernel.records import reason_required, save, save_unique
from projects.work import source_key, work_item_cancel_for_source, work_item_complete_for_source
from residents.selectors import household_name
from sites.models import Unit
from sites.services import unit_letting_move

# --- Offers ----------------------------------------------------------------------------------

OFFER_RELATIONS = [field.name for field in Offer._meta.concrete_fields if field.is_relation]


def offer_make_problems(
    *, entry: ShortlistEntry, respond_by: date | None, vacancy: Vacancy | None = None
) -> dict[str, Any]:
    """Every refusal of `offer_make` at once, without writing: why this applicant cannot be
    offered the vacancy now (the first reason), the checks, the reply date. A reply date not
    known (None: the form refused it) is not checked."""
    vacancy = vacancy or entry.vacancy
    problems: dict[str, Any] = {}
    if respond_by is not None and respond_by <= timezone.localdate():
        problems["respond_by"] = "The reply date must be after today"
    refusal = _offer_order_refusal(entry, vacancy) or household_offer_refusal(entry.application)
    if refusal:
        problems[NON_FIELD_ERRORS] = refusal
        return problems
    application = entry.application
    if case := case_open_problems(application):
        problems |= case
    elif not checks_cleared(application, policy=vacancy.policy_version):
        problems[NON_FIELD_ERRORS] = (
            "The required checks are not all back ("
            + ", ".join(checks_outstanding(application, policy=vacancy.policy_version))
            + "): record the answers, or ask a team leader for an exception."
        )
    return problems


def _offer_order_refusal(entry: ShortlistEntry, vacancy: Vacancy) -> str:
    """Why the vacancy cannot be offered to this entry now, strictly in shortlist order."""
    if vacancy.status != Vacancy.Status.CLOSED:
        return (
            f"Offers are made once the shortlist is frozen; {vacancy.reference} is "
            f"{vacancy.get_status_display().lower()}."
        )
    if vacancy.unit.provider_id is not None:
        return (
            f"{vacancy.unit} is a registered provider's home: it is let by nominating the "
            "shortlist to the provider, not by an offer."
        )
    proposed = vacancy.direct_lets.filter(status=DirectLet.Status.PROPOSED).first()
    if proposed is not None:
        return (
            f"Direct let {proposed.reference} of {vacancy.reference} is waiting for a team "
            "leader's decision: no offer until it is approved or declined."
        )
    # One read for both offer rules below: the vacancy's live offer (at most one, by the
    # partial unique index) and this entry's own offer (at most one, by its unique key).
    offers = list(
        vacancy.offers.filter(
            Q(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]) | Q(entry_id=entry.pk)
        )
    )
    live = next((o for o in offers if o.status in (Offer.Status.OPEN, Offer.Status.ACCEPTED)), None)
    if live is not None:
        return (
            f"{vacancy.reference} already has an offer {live.get_status_display().lower()} "
            f"({household_name(live.application.household)}): one offer at a time."
        )
    if not entry.eligible:
        return "Only an eligible, ranked applicant can be offered the vacancy."
    if entry.is_bypassed:
        return "This applicant was bypassed for this vacancy."
    if entry.bypass_awaiting_agreement:
        return (
            "A bypass of this applicant is waiting for a team leader's agreement: "
            "it must be agreed or refused first."
        )
    if any(offer.entry_id == entry.pk for offer in offers):
        return "This applicant has already been offered this vacancy."
    if entry.removed_reason:
        return _removed_refusal(entry)
    if entry.application.on_hold_reason:  # passed over by next_in_order until it is lifted
        return household_offer_refusal(entry.application)
    first = next_in_order(vacancy)
    if first is not None and first.pk != entry.pk:
        return (
            f"Offers go in shortlist order: position {first.position} "
            f"({household_name(first.application.household)}) comes first. Bypass them with a "
            "reason to go on"
            + (
                " (their bypass is waiting for a team leader's agreement)."
                if first.bypass_awaiting_agreement
                else "."
            )
        )
    return ""


def _removed_refusal(entry: ShortlistEntry) -> str:
    """Why a household taken off this shortlist is not offered the home, naming the home it
    accepted when an accepted offer took it off."""
    name = household_name(entry.application.household)
    offer = entry.removed_by_offer
    if offer is not None:
        return (
            f"{name} accepted the offer of {offer.vacancy.unit} (vacancy "
            f"{offer.vacancy.reference}) in the same cycle, so was taken off this shortlist: "
            "they can be offered this home only if that offer is withdrawn."
        )
    return f"{name} was taken off this shortlist: {entry.removed_reason}."


def household_offer_refusal(application: Application) -> str:
    """Why this household is not offered a home now, whatever the home: a household is made
    one offer at a time, holds one accepted offer at a time, and is not offered a council home
    while nominated to a registered provider's ("" when it may be offered one). A direct let
    asks it too (services/directlets.py): one approved for such a household would take the
    home off bidding for an offer that cannot be made."""
    name = household_name(application.household)
    if application.on_hold_reason:
        return (
            f"{name}'s application is on hold ({application.on_hold_reason}): no offer "
            "until the hold is lifted."
        )
    live = live_offer(application)
    if live is not None:
        home = f"{live.vacancy.unit} (vacancy {live.vacancy.reference})"
        if live.status == Offer.Status.OPEN:
            return (
                f"{name} already has an open offer of {home}: record the reply to that one first."
            )
        return (
            f"{name} has accepted the offer of {home}: a household holds one accepted "
            "offer at a time; withdraw that offer first to offer them another home."
        )
    nomination = (
        application.nominations.filter(status__in=Nomination.LIVE_STATUSES)
        .select_related("vacancy__unit", "provider")
        .first()
    )
    if nomination is not None:
        return (
            f"{name} is nominated to {nomination.provider} for {nomination.vacancy.unit} "
            f"(vacancy {nomination.vacancy.reference}, "
            f"{nomination.get_status_display().lower()}): no offer of another home while "
            "that nomination is live."
        )
    return ""


@transaction.atomic
def offer_make(
    *, entry: ShortlistEntry, respond_by: date, by: AbstractBaseUser, adaptations_reason: str = ""
) -> Offer:
    """Offer the vacancy to one shortlisted applicant, strictly in shortlist order. An adapted
    home offered to a household that does not need its adaptations needs the reason why.

    The vacancy row is locked first, so offers on one vacancy are made one at a time; the
    partial unique index `one_live_offer_per_vacancy` refuses a second live offer whatever
    happens above it. The application row is locked with it, so two officers offering one
    household two homes at once make one offer.
    """
    # One round trip locks the vacancy, its unit and the application, and reads all an offer
    # needs with them (the unit's site, the policy, the household).
    entry = (
        ShortlistEntry.objects.select_related(
            "vacancy__unit__site", "vacancy__policy_version", "application__household"
        )
        .select_for_update(of=("vacancy", "vacancy__unit", "application"))
        .get(pk=entry.pk)
    )
    vacancy, application = entry.vacancy, entry.application
    unit = vacancy.unit
    problems = offer_make_problems(entry=entry, respond_by=respond_by, vacancy=vacancy)
    wasted = adaptations_unneeded(unit, application, vacancy)
    adaptations_reason = adaptations_reason.strip() if wasted else ""
    if wasted and not adaptations_reason:
        problems["adaptations_reason"] = (
            f"{wasted} Say why this adapted home goes to a household that does not need it"
        )
    if problems:
        raise ValidationError(problems)
    offer = Offer(
        vacancy=vacancy,
        entry=entry,
        application=application,
        made_by=by,
        respond_by=respond_by,
        adaptations_reason=adaptations_reason,
    )
    why = f"Offer made (shortlist position {entry.position})"
    if adaptations_reason:
        why += f"; adapted home to a household that does not need it: {adaptations_reason}"
    # Under the vacancy's lock the checks above have asked everything the offer's keys and
    # constraints would; the partial unique index still refuses a second live offer.
    save_unique(
        offer,
        by=by,
        reason=why,
        exclude=OFFER_RELATIONS,
        database_checks=False,
        refusals={"one_live_offer_per_vacancy": f"{vacancy.reference} already has a live offer."},
    )
    unit_letting_move(
        unit=unit,
        to=Unit.Status.UNDER_OFFER,
        by=by,
        reason=f"Offered to {application.reference} (vacancy {vacancy.reference})",
        locked=True,
    )
    work_add(
        key=source_key("offer_reply", offer.pk),
        kind="offer_reply",
        title=f"Reply to the offer of {unit} from {household_name(application.household)}",
        due=respond_by,
        about=offer,
        assignee=by,
        by=by,
    )
    # An approved direct let's offer is made: its "offer before it lapses" work is done.
    for direct_let_id in DirectLet.objects.filter(entry_id=entry.pk).values_list("pk", flat=True):
        work_item_complete_for_source(source_key("direct_let_lapsing", direct_let_id), by=by)
    letter_request(
        application=application,
        kind=Letter.Kind.OFFER,
        context=documents.letter_context(
            application,
            reasons=[],
            policy=vacancy.policy_version,
            extra={
                "unit": str(unit),
                "site": str(unit.site),
                "weekly_charge": str(unit.weekly_charge or ""),
                "respond_by": letter_date(respond_by),
                **refusal_penalty_words(vacancy.policy_version or policy_for(application)),
            },
        ),
        by=by,
    )
    return offer


def adaptations_unneeded(unit: Unit, application: Application, vacancy: Vacancy) -> str:
    """Why offering this adapted home to this household would leave its adaptations unused,
    in words ("" when the household needs them, or the home is not adapted)."""
    policy = vacancy.policy_version or policy_for(application)
    categories = policy.policy.lettings.access_categories
    needing = rules.needing_codes(unit.accessibility, categories)
    if not needing or application.access_category in needing:
        return ""
    lettings = policy.policy.lettings
    household = (
        f"needs category {lettings.access_words(application.access_category)}"
        if application.access_category
        else "has no access needs assessed"
    )
    return (
        f"{unit} is an adapted home (category {lettings.access_words(unit.accessibility)}); "
        f"{household_name(application.household)} {household}."
    )


def _unit_back_on_advert(offer: Offer, *, by: AbstractBaseUser, why: str) -> None:
    """An offer that ends without a let puts the unit back on advert (the vacancy is still
    open: the next on the shortlist may be offered it)."""
    vacancy = Vacancy.objects.select_related("unit").get(pk=offer.vacancy_id)
    if vacancy.is_open and vacancy.unit.status == Unit.Status.UNDER_OFFER:
        unit_letting_move(
            unit=vacancy.unit,
            to=Unit.Status.ADVERTISED,
            by=by,
            reason=f"{why} ({offer.application.reference}, vacancy {vacancy.reference})",
        )


def refusal_penalty_words(policy: PolicyVersion) -> dict[str, Any]:
    """What the letters say refusing too many offers leads to, under the policy: the lowest
    band for the period (where it says so and has bands), else a suspension."""
    lowest_band = policy.policy.lowest_band
    lowest = policy.policy.refusal_penalty == "lowest_band" and lowest_band
    return {"refusal_penalty": "lowest_band" if lowest else "suspend", "lowest_band": lowest_band}


def _unreasonable_refusals(application: Application) -> int:
    return application.offers.filter(status=Offer.Status.REFUSED, reasonable_refusal=False).count()


@transaction.atomic
def offer_accept(*, offer: Offer, on: date, by: AbstractBaseUser) -> Offer:
    """Record the household's acceptance. A household holds one accepted offer at a time: the
    application row is locked, so two acceptances recorded at once accept one."""
    offer = Offer.objects.select_for_update().select_related("application").get(pk=offer.pk)
    application_locked(offer.application)
    _reply_check(offer, on)
    accepted = (
        offer.application.offers.filter(status=Offer.Status.ACCEPTED)
        .exclude(pk=offer.pk)
        .select_related("vacancy__unit")
        .first()
    )
    if accepted is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"{household_name(offer.application.household)} has "
                "already accepted the "
                f"offer of {accepted.vacancy.unit} (vacancy {accepted.vacancy.reference}): a "
                "household holds one accepted offer at a time. Record a refusal of this one, "
                "or withdraw that one first."
            }
        )
    OFFER.move(offer, Offer.Status.ACCEPTED)
    offer.responded_on = on
    save(offer, by=by, reason="Offer accepted")
    work_item_complete_for_source(source_key("offer_reply", offer.pk), by=by)
    # Choice-based lettings: off its other shortlists of the cycle, each with the reason.
    shortlists_under_offer(application=offer.application, vacancy=offer.vacancy, by=by, offer=offer)
    return offer


def offer_reply_problems(*, offer: Offer, on: date | None) -> dict[str, str]:
    """Every refusal of a reply to the offer (accepted or refused) at once, without writing.
    A date not known (None: the form refused it) is not checked."""
    problems = {}
    if not OFFER.can_move(offer, Offer.Status.ACCEPTED):  # an open offer, waiting for a reply
        problems[NON_FIELD_ERRORS] = f"This offer is already {offer.get_status_display().lower()}."
    if on is not None and on > timezone.localdate():
        problems["responded_on"] = "The reply date cannot be in the future"
    elif on is not None and on < local_day(offer.made_at):
        problems["responded_on"] = "The reply cannot come before the offer"
    return problems


def _reply_check(offer: Offer, on: date) -> None:
    problems = offer_reply_problems(offer=offer, on=on)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def offer_refuse(
    *, offer: Offer, on: date, reason: str, reasonable: bool, by: AbstractBaseUser
) -> Offer:
    """Record a refusal; unreasonable refusals count towards the policy's limit.

    Reaching the limit suspends the application for the policy's period, with a letter that
    explains the limit and the right to ask for a review.
    """
    Unit.objects.select_for_update().get(vacancies__pk=offer.vacancy_id)
    offer = Offer.objects.select_for_update().select_related("application").get(pk=offer.pk)
    problems = offer_reply_problems(offer=offer, on=on)
    if not reason or not reason.strip():
        problems["refusal_reason"] = "Enter the household's reason for refusing"
    if problems:
        raise ValidationError(problems)
    OFFER.move(offer, Offer.Status.REFUSED)
    offer.responded_on = on
    offer.refusal_reason = reason.strip()
    offer.reasonable_refusal = reasonable
    save(offer, by=by, reason="Offer refused")
    work_item_complete_for_source(source_key("offer_reply", offer.pk), by=by)
    _unit_back_on_advert(offer, by=by, why="Offer refused")
    # Accepting takes a household off its other shortlists, so an open offer refused took it
    # off none of those; it may have kept it from a provider's home's nomination, which it
    # is back on now (no other offer's removals are undone).
    shortlists_offer_ended(offer=offer, by=by)

    application = application_locked(offer.application)
    policy = offer.vacancy.policy_version or policy_for(application)
    limit = policy.policy.refusal_limit
    counted = _unreasonable_refusals(application)
    suspended = (
        not reasonable
        and counted >= limit.count
        and application.status == Application.Status.ACTIVE
    )
    extra = {
        "unit": str(offer.vacancy.unit),
        "refusals_counted": counted,
        "refusal_limit": limit.count,
        "reasonable": reasonable,
        "suspension_months": limit.suspension_months,
        **refusal_penalty_words(policy),
    }
    # Where the policy says so, the penalty is the lowest band for the period, not a suspension.
    lowest_band = policy.policy.lowest_band
    if suspended and extra["refusal_penalty"] == "lowest_band":
        suspended = False
        until = on + relativedelta(months=limit.suspension_months)
        if application.band_penalty_until is None:
            application.band_before_penalty = application.band
        application.band = lowest_band
        application.band_penalty_until = until
        save(
            application,
            by=by,
            reason=f"In the lowest band (band {lowest_band}) until {page_date(until)}: "
            f"{counted} offers refused without good reason (the policy's limit is {limit.count})",
        )
        extra["band_penalty_until"] = letter_date(until)
        extra["lowest_band"] = lowest_band
    if suspended:
        until = on + relativedelta(months=limit.suspension_months)
        application.suspended_until = until
        application_move(
            application,
            Application.Status.SUSPENDED,
            by=by,
            reason=f"Suspended until {page_date(until)}: {counted} offers refused without good "
            f"reason (the policy's limit is {limit.count})",
        )
        extra["suspended_until"] = letter_date(until)
    letter_request(
        application=application,
        kind=Letter.Kind.SUSPENSION if suspended else Letter.Kind.REFUSAL,
        context=documents.letter_context(application, reasons=[], policy=policy, extra=extra),
        by=by,
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, reason: str, by: AbstractBaseUser) -> Offer:
    """The council takes an offer back (the household withdrew, or circumstances changed)."""
    Unit.objects.select_for_update().get(vacancies__pk=offer.vacancy_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not OFFER.can_move(offer, Offer.Status.WITHDRAWN):
        raise ValidationError(f"This offer is already {offer.get_status_display().lower()}.")
    if offer.decisions.filter(status=AllocationDecision.Status.APPROVED).exists():
        raise ValidationError("The allocation has been approved: the offer cannot be withdrawn.")
    OFFER.move(offer, Offer.Status.WITHDRAWN)
    offer.withdrawal_reason = reason_required(reason)
    save(offer, by=by, reason=f"Offer withdrawn: {offer.withdrawal_reason}")
    # An accepted offer withdrawn: back on the shortlists accepting it took the household off.
    shortlists_offer_ended(offer=offer, by=by)
    work_item_cancel_for_source(
        source_key("offer_reply", offer.pk), by=by, reason="Offer withdrawn"
    )
    _unit_back_on_advert(offer, by=by, why="Offer withdrawn")
    for decision in offer.decisions.filter(status=AllocationDecision.Status.AWAITING):
        DECISION.move(decision, AllocationDecision.Status.RETURNED)
        decision.comments = "Offer withdrawn before a decision"
        save(decision, by=by, reason="Offer withdrawn")
        for kind in ("decision_approval", "decision_stuck"):
            work_item_cancel_for_source(
                source_key(kind, decision.pk), by=by, reason="Offer withdrawn"
            )
    for decision in offer.decisions.filter(status=AllocationDecision.Status.RETURNED):
        work_item_cancel_for_source(
            source_key("decision_returned", decision.pk), by=by, reason="Offer withdrawn"
        )
    return offer
