"""Applications and validation: recording, the lifecycle, validating, evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations import documents, rules
from allocations.lifecycles import APPLICATION
from allocations.models import (
    Application,
    ApplicationValidation,
    BandReview,
    EvidenceDocument,
    Letter,
    Nomination,
    Offer,
    Renewal,
    ShortlistEntry,
    Vacancy,
)
from allocations.selectors.applications import application_named, live_offer
from allocations.selectors.policies import policy_in_force
from allocations.services.common import next_reference
from allocations.services.letters import letter_request
from config.kernel.dates import page_datetime
from config.kernel.records import reason_required, save
from projects.work import (
    source_key,
    work_item_cancel_for_source,
    work_item_complete_for_source,
)
from residents.models import Household
from residents.selectors import household_name

# --- Applications ----------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    household: Household,
    scheme: str,
    kind: str,
    registration_date: date,
    by: AbstractBaseUser,
    effective_date: date | None = None,
    consent_to_enquiries: bool = False,
    needs_accessible_home: bool = False,
    backdate_reason: str = "",
    backdate_evidence=None,
    caravans: int | None = None,
    vehicles: int | None = None,
    pitch_size: str = "",
) -> Application:
    """Record a draft application. Its dates decide priority: a registration or effective
    date before today needs a reason and evidence, like any later change of them."""
    problems = application_create_problems(
        household=household,
        scheme=scheme,
        registration_date=registration_date,
        effective_date=effective_date,
        backdate_reason=backdate_reason,
        backdate_evidence=backdate_evidence,
    )
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    backdated = min(registration_date, effective_date or registration_date) < today
    backdate_reason = (backdate_reason or "").strip()
    application = Application(
        reference=next_reference(scheme.upper(), "allocations_application_reference"),
        household=household,
        scheme=scheme,
        kind=kind,
        registration_date=registration_date,
        effective_date=effective_date or registration_date,
        consent_to_enquiries=consent_to_enquiries,
        needs_accessible_home=needs_accessible_home,
    )
    if scheme == "pitch":
        # A pitch is sized for caravans and vehicles; a bedroom count means nothing there.
        application.caravans = caravans
        application.vehicles = vehicles
        application.pitch_size = pitch_size or ""
    if not backdated:
        save(application, by=by, reason="Application recorded")
        return application
    save(
        application,
        by=by,
        reason=f"Application recorded with dates before today: {reason_required(backdate_reason)}",
    )
    evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.OTHER,
        description=f"Evidence for the backdated registration: {backdate_reason}"[:200],
        upload=backdate_evidence,
        by=by,
    )
    return application


def application_create_problems(
    *,
    household: Household,
    scheme: str | None,
    registration_date: date | None,
    effective_date: date | None = None,
    backdate_reason: str | None = "",
    backdate_evidence=None,
) -> dict[str, str]:
    """Every refusal of `application_create` at once, without writing, so the officer puts
    them all right in one go. A value not known (None: the form refused it) is not checked."""
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if registration_date is not None:
        if registration_date > today:
            problems["registration_date"] = "The registration date cannot be in the future"
        if effective_date is not None and effective_date < registration_date:
            problems["effective_date"] = "The effective date cannot be before the registration date"
        if min(registration_date, effective_date or registration_date) < today:
            if not (backdate_reason or "").strip():
                problems["backdate_reason"] = (
                    "The registration date is before today: enter why it is backdated"
                )
            if backdate_evidence is None:
                problems["backdate_evidence"] = (
                    "The registration date is before today: attach the evidence for it"
                )
    if scheme and household.applications.filter(scheme=scheme, status__in=OPEN_STATUSES).exists():
        problems[NON_FIELD_ERRORS] = (
            "This household already has an open application for this scheme: "
            "update that one instead."
        )
    return problems


OPEN_STATUSES = [
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.INVALID,
    Application.Status.ACTIVE,
    Application.Status.SUSPENDED,
]


def application_move(application: Application, to: str, *, by, reason: str) -> Application:
    if not APPLICATION.can_move(application, to):
        raise ValidationError(
            f"An application that is {application.get_status_display().lower()} cannot become "
            f"{Application.Status(to).label.lower()}."
        )
    APPLICATION.move(application, to)
    application.status_reason = reason
    if to not in ON_THE_REGISTER:
        renewals_end(application, by=by)
        work_item_cancel_for_source(
            band_assessment_key(application),
            by=by,
            reason=f"The application is {Application.Status(to).label.lower()}",
        )
        # Off the register its band ranks it for nothing: a review of it is not decided.
        for review_pk in application.band_reviews.filter(
            outcome=BandReview.Outcome.AWAITED
        ).values_list("pk", flat=True):
            work_item_cancel_for_source(
                band_review_key(review_pk),
                by=by,
                reason=f"The application is {Application.Status(to).label.lower()}",
            )
    save(application, by=by, reason=reason)
    return application


def band_assessment_key(application: Application) -> str:
    """The work to assess the band of a household admitted to the register on review."""
    return source_key("band_assessment", application.pk)


def band_review_key(review_pk: int) -> str:
    """The team leaders' work to decide a review of a band assessment."""
    return source_key("band_review", review_pk)


# A suspended application is still on the register (no bids until its date): it renews.
ON_THE_REGISTER = (Application.Status.ACTIVE, Application.Status.SUSPENDED)
OPEN_RENEWAL = (Renewal.Status.DUE, Renewal.Status.REMINDED, Renewal.Status.ON_HOLD)


def renewal_work_keys(renewal: Renewal) -> tuple[str, str]:
    """The work items a renewal puts in the queue: its reminder, and its no-answer hold."""
    return source_key("renewal", renewal.pk), source_key("renewal_no_answer", renewal.pk)


def renewals_end(application: Application, *, by) -> int:
    """The application has left the register (withdrawn, housed, lapsed, refused): its open
    renewal has nothing left to renew, so it is closed, saying why, with no letter and its
    work done; a hold the renewal put on the application goes with it. The caller saves the
    application."""
    ended = 0
    status = Application.Status(application.status).label.lower()
    for renewal in application.renewals.select_for_update().filter(status__in=OPEN_RENEWAL):
        if renewal.status == Renewal.Status.ON_HOLD:
            application.on_hold_reason = ""
            application.on_hold_since = None
        renewal.status = Renewal.Status.ENDED
        renewal.closed_on = timezone.localdate()
        save(
            renewal,
            by=by,
            reason=f"Ended without a renewal: the application is {status}, no longer on the "
            "register (no letter sent)",
        )
        for key in renewal_work_keys(renewal):
            work_item_complete_for_source(key, by=by)
        ended += 1
    return ended


def application_locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("household").get(pk=application.pk)
    )


def application_transition_refusal(application: Application, to: str) -> str:
    """Why the application does not move to `to` by a bare status change ("" when it may):
    these moves have their own step, with its checks, its letter and the household's right
    to a review."""
    if to == Application.Status.REFUSED:
        return (
            "Registration is refused only by validating or assessing the application against "
            "the policy's qualification rules, so the household gets its letter."
        )
    if application.status == Application.Status.REFUSED and to == Application.Status.ACTIVE:
        return "A refused registration is admitted to the register only by a review decision."
    if application.status == Application.Status.SUBMITTED and to in (
        Application.Status.ACTIVE,
        Application.Status.INVALID,
    ):
        return (
            "A submitted application becomes active or invalid only by validating it against "
            "the policy's checklist, so an invalid one gets its letter with the reasons."
        )
    if to == Application.Status.HOUSED:
        return housed_by_hand_refusal(application)
    return ""


def housed_by_hand_refusal(application: Application) -> str:
    """Why the application is not closed as housed by hand now ("" when it may be). The
    council houses a household by approving its allocation decision, which closes the
    application itself; by hand it is closed as housed only when nothing of the register's is
    still live for it (a provider's let on nomination confirmed, say): not under offer or with
    an accepted offer awaiting approval, not nominated, not on a frozen shortlist waiting to
    be offered, no live bids."""
    name = household_name(application.household)
    offer = live_offer(application)
    if offer is not None:
        home = f"{offer.vacancy.unit} (vacancy {offer.vacancy.reference})"
        if offer.status == Offer.Status.ACCEPTED:
            return (
                f"{name} has accepted the offer of {home}: it becomes housed when a team "
                "leader approves the allocation decision, not by hand."
            )
        return (
            f"{name} is under offer for {home}: it becomes housed when the offer is accepted "
            "and the allocation approved. If the household has found a home elsewhere, "
            "withdraw the offer first."
        )
    nomination = (
        application.nominations.filter(
            status__in=[Nomination.Status.SENT, Nomination.Status.ACCEPTED]
        )
        .select_related("vacancy__unit", "provider")
        .first()
    )
    if nomination is not None:
        return (
            f"{name} is nominated to {nomination.provider} for {nomination.vacancy.unit} "
            f"(vacancy {nomination.vacancy.reference}, "
            f"{nomination.get_status_display().lower()}): it is housed when the provider "
            "confirms the let, or withdraw the nomination first."
        )
    entry = (
        application.shortlist_entries.filter(
            vacancy__status=Vacancy.Status.CLOSED, eligible=True, removed_reason=""
        )
        .exclude(bypass_status=ShortlistEntry.Bypass.BYPASSED)
        .select_related("vacancy__unit")
        .order_by("vacancy__reference")
        .first()
    )
    if entry is not None:
        return (
            f"{name} is on the frozen shortlist for {entry.vacancy.unit} (vacancy "
            f"{entry.vacancy.reference}) and may still be offered it: it becomes housed when "
            "an allocation to it is approved. If the household has found a home elsewhere, "
            "withdraw the application instead."
        )
    bids = list(
        application.bids.filter(withdrawn=False, vacancy__status=Vacancy.Status.ADVERTISED)
        .order_by("vacancy__reference")
        .values_list("vacancy__reference", flat=True)
    )
    if bids:
        return (
            f"{name} has live bids on {', '.join(bids)}: withdraw them before closing the "
            "application as housed."
        )
    return ""


@transaction.atomic
def application_transition(
    *, application: Application, to: str, reason: str, by: AbstractBaseUser
) -> Application:
    """Move an application through its lifecycle (withdraw, suspend, lapse, reinstate...).
    Validating it, refusing registration and admitting a refused household happen only
    through the policy's checklist, the qualification rules and their review
    (`application_transition_refusal`)."""
    application = application_locked(application)
    if refusal := application_transition_refusal(application, to):
        raise ValidationError(refusal)
    if application.status == Application.Status.ACTIVE:
        # Left live, the offer would hold its unit under offer for a household no longer on
        # the register, and could still be accepted and put to a team leader.
        live = live_offer(application)
        if live is not None:
            raise ValidationError(
                f"{household_name(application.household)} has an offer "
                f"{live.get_status_display().lower()} "
                f"({live.vacancy.unit}, vacancy {live.vacancy.reference}): withdraw the offer "
                "first, so the next on the shortlist can be offered it."
            )
    return application_move(application, to, by=by, reason=reason_required(reason))


@transaction.atomic
def application_submit(*, application: Application, by: AbstractBaseUser) -> Application:
    return application_move(
        application_locked(application), Application.Status.SUBMITTED, by=by, reason="Submitted"
    )


@transaction.atomic
def application_consent_record(
    *, application: Application, given: bool, by: AbstractBaseUser, reason: str
) -> Application:
    """The household's consent to enquiries of the police, probation and other councils,
    given or withdrawn after applying. The history names who recorded it and why (how the
    household gave or withdrew it); without it those partners are not asked."""
    reason = reason_required(reason)
    application = application_locked(application)
    if application.consent_to_enquiries == given:
        now = "records consent" if given else "records no consent"
        raise ValidationError(
            {
                "given": f"{household_name(application.household)}'s application already {now} "
                "to enquiries: nothing changes"
            }
        )
    application.consent_to_enquiries = given
    what = "given" if given else "withdrawn"
    save(application, by=by, reason=f"Consent to enquiries {what}: {reason}")
    if not given:
        # The checks consent was the basis for, still waiting, stop (services.checks imports
        # this module through services.cases).
        from allocations.services.checks import checks_stop_for_consent

        checks_stop_for_consent(application=application, reason=reason, by=by)
    return application


def validation_items(policy) -> list[tuple[str, Any]]:
    """The checklist a validation answers under a policy: eligibility, exclusions and, for
    choice-based lettings, the qualification rules for joining the register."""
    items: list[tuple[str, Any]] = [("eligibility", item) for item in policy.policy.eligibility]
    items += [("exclusion", item) for item in policy.policy.exclusions]
    if policy.scheme == "cbl":
        items += [("qualification", rule) for rule in policy.policy.lettings.qualification]
    return items


def _item_code(item) -> str:
    return item["code"] if isinstance(item, dict) else item.code


def _item_label(item) -> str:
    return item["label"] if isinstance(item, dict) else item.label


def application_validation_refusal(application: Application) -> str:
    """Why the application is not validated now ("" when it may be): only a submitted one is.
    Validated since (by a colleague, or the checklist sent twice), refused registration (only
    a review admits it) or active, it is told as it stands, never validated over again."""
    if application.status == Application.Status.SUBMITTED:
        return ""
    latest = application.validations.select_related("validated_by").first()
    since = (
        f" {latest.validated_by.get_full_name() or latest.validated_by} validated it at "
        f"{page_datetime(latest.validated_at)}."
        if latest
        else ""
    )
    then = (
        " A refused registration is admitted to the register only by a review decision."
        if application.status == Application.Status.REFUSED
        else ""
    )
    return (
        f"{application_named(application)} is {application.get_status_display().lower()}: "
        "only a submitted application is validated, so this checklist was not recorded."
        f"{since}{then}"
    )


@transaction.atomic
def application_validate(
    *,
    application: Application,
    answers: dict[str, dict[str, Any]],
    by: AbstractBaseUser,
    on: date | None = None,
) -> ApplicationValidation:
    """Answer the policy's validation checklist: eligibility met? exclusions apply? and, for
    choice-based lettings, does the household qualify to join the register?

    `answers` maps each checklist code to {"met": bool, "note": str} — for an exclusion,
    "met" means the exclusion applies. A household that fails any qualification rule is
    refused registration, with every rule it failed, a letter and the review right.
    """
    from allocations.services.registration import registration_refuse

    application = application_locked(application)
    if refusal := application_validation_refusal(application):
        raise ValidationError(refusal)
    policy = policy_in_force(scheme=application.scheme, on=on or timezone.localdate())
    items = validation_items(policy)
    missing = [_item_label(item) for _, item in items if _item_code(item) not in answers]
    if missing:
        raise ValidationError([f"Answer: {label}" for label in missing])
    # Consent to enquiries of the police and other councils is a condition of eligibility,
    # and the checks are asked on the strength of the one the application records: it is not
    # met on the officer's word where the application records none.
    for part, item in items:
        code = _item_code(item)
        if (
            part == "eligibility"
            and code == "consent_to_enquiries"
            and answers[code].get("met")
            and not application.consent_to_enquiries
        ):
            raise ValidationError(
                f"{household_name(application.household)} has not consented to enquiries "
                f"({application.reference} records no consent): '{_item_label(item)}' is not "
                "met. Answer no, and the application is invalid for it."
            )
    recorded, reasons, qualification_met = [], [], {}
    for part, item in items:
        code, label = _item_code(item), _item_label(item)
        answer = answers[code]
        met = bool(answer.get("met"))
        recorded.append(
            {"code": code, "label": label, "part": part, "met": met, "note": answer.get("note", "")}
        )
        if part == "eligibility" and not met:
            reasons.append(f"Not met: {label}")
        if part == "exclusion" and met:
            reasons.append(f"Excluded: {label}")
        if part == "qualification":
            qualification_met[code] = met
    qualification = policy.policy.lettings.qualification if policy.scheme == "cbl" else ()
    failed = rules.qualification_refusals(qualification, qualification_met)
    for rule in failed:
        rule["note"] = answers[rule["code"]].get("note", "")
    if failed:
        outcome = ApplicationValidation.Outcome.REFUSED
    elif reasons:
        outcome = ApplicationValidation.Outcome.INVALID
    else:
        outcome = ApplicationValidation.Outcome.VALID
    validation = ApplicationValidation(
        application=application,
        policy_version=policy,
        answers=recorded,
        outcome=outcome,
        reasons=[rule["refusal"] for rule in failed] + reasons,
        validated_by=by,
    )
    save(validation, by=by, reason="Validated")
    if outcome == ApplicationValidation.Outcome.VALID:
        application_move(
            application, Application.Status.ACTIVE, by=by, reason="Validated under " + str(policy)
        )
    elif outcome == ApplicationValidation.Outcome.REFUSED:
        registration_refuse(
            application=application,
            policy=policy,
            failed_rules=failed,
            other_reasons=reasons,
            by=by,
            on=on,
        )
    else:
        application_move(application, Application.Status.INVALID, by=by, reason="; ".join(reasons))
        # The household is told why, in a letter suited to its communication needs.
        letter_request(
            application=application,
            kind=Letter.Kind.INVALID,
            context=documents.letter_context(application, reasons=reasons, policy=policy),
            by=by,
        )
    return validation


@transaction.atomic
def evidence_attach(
    *, application: Application, kind: str, description: str, upload, by: AbstractBaseUser
) -> EvidenceDocument:
    """Keep a document seen as evidence against the application, privately."""
    document = EvidenceDocument(
        application=application,
        kind=kind,
        description=description,
        uploaded_by=by,
    )
    document.keep(upload)
    save(document, by=by, reason="Evidence attached")
    return document
