"""Nominations to registered providers: the council nominates from a provider's home's frozen
shortlist, in order, one household at a time; the provider accepts or rejects (a rejection
reviewed by the council's officer: challenged back to the provider, or accepted, which
nominates the next); the provider confirms the let with its tenancy start date; a shortlist
with nobody left re-advertises the home into the next cycle with the reason."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from allocations.core import year2026 as core
from allocations.lifecycles import NOMINATION, VACANCY
from allocations.models import (
    Application,
    BiddingCycle,
    Nomination,
    NominationShowing,
    Offer,
    Scheme,
    ShortlistEntry,
    Vacancy,
)
from allocations.models.lettings import RentType
from allocations.rules.nominations import working_days_after
from allocations.selectors.applications import live_offer
from allocations.services.bids import shortlists_under_offer
from allocations.services.lettings import VACANCY_FIELDS, vacancy_create, vacancy_withdraw
from allocations.services.reminders import work_add
from config.kernel import outbox
from config.kernel.dates import page_date
from config.kernel.mail import mail_send, message_id
from config.kernel.records import reason_required, save, save_unique
from projects.work import source_key, work_item_complete_for_source
from residents.selectors import household_name
from sites.models import Unit
from sites.services import unit_letting_move

# What a nomination discloses to the provider under the information-sharing agreement: no
# more (no special-category data, no household or application records).
DISCLOSED = ["name", "household", "band", "bedroom_need", "access_needs"]
LINK_SALT = "allocations.nomination-link"
# CORE's "affordable or social rent" (lettings_log.rb#affordable_or_social_rent?).
AFFORDABLE_OR_SOCIAL = (RentType.SOCIAL, RentType.AFFORDABLE, RentType.LONDON_AFFORDABLE)


def _owner(by: AbstractBaseUser) -> dict:
    """The officer who acted, or (the scheduled close acts as the system) the officers' queue."""
    if by.has_perm("allocations.add_nomination"):
        return {"assignee": by}
    return {"role": "officer"}


def nomination_next_problems(vacancy: Vacancy) -> str:
    """Why the vacancy cannot be nominated on now, in words ("" when it can)."""
    if vacancy.unit.provider_id is None:
        return f"{vacancy.unit} is the council's own home: it is let by offer, not nomination."
    if vacancy.status != Vacancy.Status.CLOSED:
        return (
            f"Nominations are made from the frozen shortlist; {vacancy.reference} is "
            f"{vacancy.get_status_display().lower()}."
        )
    live = vacancy.nominations.filter(status__in=Nomination.LIVE_STATUSES).first()
    if live is not None:
        return (
            f"{vacancy.reference} is already nominated to "
            f"{household_name(live.application.household)} "
            f"({live.get_status_display().lower()}): one nomination at a time."
        )
    return ""


def _next_entry(vacancy: Vacancy) -> ShortlistEntry | None:
    """The highest-placed household not yet nominated for this home (strictly in order; a
    bypass waiting for a team leader's agreement keeps the household next in line)."""
    return (
        vacancy.shortlist.filter(
            eligible=True,
            removed_reason="",
            offers__isnull=True,
            application__status=Application.Status.ACTIVE,
        )
        .exclude(bypass_status=ShortlistEntry.Bypass.BYPASSED)
        .exclude(pk__in=vacancy.nominations.values("entry_id"))
        .order_by("position")
        .first()
    )


def _held_elsewhere(entry: ShortlistEntry) -> tuple[str, Offer | None]:
    """Why this shortlisted household is not nominated because of an offer of another home,
    or a live nomination to one ("" when it holds neither), and the offer that holds it. Its
    application row is locked first, as making an offer or a nomination locks it, so two of
    them for one household are judged one after the other."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=entry.application_id)
    offer = live_offer(application)
    if offer is not None:
        state = "under offer for" if offer.status == Offer.Status.OPEN else "accepted the offer of"
        return f"Skipped: {state} {offer.vacancy.unit} (vacancy {offer.vacancy.reference})", offer
    nomination = (
        application.nominations.filter(status__in=Nomination.LIVE_STATUSES)
        .exclude(vacancy=entry.vacancy_id)
        .select_related("vacancy__unit", "provider")
        .first()
    )
    if nomination is not None:
        return (
            f"Skipped: nominated to {nomination.provider} for {nomination.vacancy.unit} "
            f"(vacancy {nomination.vacancy.reference}, "
            f"{nomination.get_status_display().lower()})"
        ), None
    return "", None


@transaction.atomic
def nomination_next(*, vacancy: Vacancy, by: AbstractBaseUser) -> Nomination | None:
    """Nominate the next household on the frozen shortlist to the home's provider, with the
    provider's answer date in its working days; None when nobody is left (the home is then
    re-advertised, with a reason, by `vacancy_readvertise`)."""
    unit = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(vacancies=vacancy.pk)
    )
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    if refusal := nomination_next_problems(vacancy):
        raise ValidationError(refusal)
    entry = _next_entry(vacancy)
    while entry is not None and (held := _held_elsewhere(entry))[0]:
        # A household under offer, holding an accepted offer, or nominated, for another home
        # is not nominated for this one (as a nominated household is not offered a council
        # home): it is taken off this shortlist with the reason, and the next in order is
        # nominated. Skipped for an offer, it comes back if that offer is refused or
        # withdrawn (`shortlists_offer_ended`), for the home's next nomination.
        entry.removed_reason, entry.removed_by_offer = held
        save(entry, by=by, reason=f"Not nominated to {unit.provider}: {held[0]}")
        entry = _next_entry(vacancy)
    if entry is None:
        return None
    if entry.bypass_awaiting_agreement:
        raise ValidationError(
            f"A bypass of position {entry.position} "
            f"({household_name(entry.application.household)}) is waiting "
            "for a team leader's agreement: it must be agreed or refused first."
        )
    provider = unit.provider
    today = timezone.localdate()
    nomination = Nomination(
        vacancy=vacancy,
        entry=entry,
        application=entry.application,
        provider=provider,
        position=entry.position,
        first_let=unit.void_reason == Unit.VoidReason.NEW_BUILD,
        sent_by=by,
        respond_by=working_days_after(today, provider.response_working_days),
    )
    save_unique(
        nomination,
        by=by,
        reason=f"Nominated to {provider} (shortlist position {entry.position})",
        refusals={
            "one_live_nomination_per_vacancy": f"{vacancy.reference} already has a live nomination."
        },
    )
    _answer_work_add(nomination, by=by)
    outbox.enqueue(
        _email_task(),
        what=f"Email nomination of {vacancy.reference} to {provider}",
        nomination_id=nomination.pk,
    )
    return nomination


def _email_task():
    """The task that emails the secure link (imported here: the tasks import the services;
    passing the task itself registers it in the process that queues it)."""
    from allocations.tasks import nomination_email_send

    return nomination_email_send


def _answer_work_add(nomination: Nomination, *, by: AbstractBaseUser) -> None:
    """The provider's answer is due: overdue, it shows in the officer's queue."""
    work_add(
        key=source_key("nomination_answer", nomination.pk, nomination.challenges),
        kind="nomination_answer",
        title=f"{nomination.provider} to answer the nomination of "
        f"{household_name(nomination.application.household)} for {nomination.vacancy.unit}",
        due=nomination.respond_by,
        about=nomination,
        by=by,
        **_owner(nomination.sent_by),
    )


class NominationLinkUsed(Exception):
    """The secure link's stage is over (answered, or its let confirmed): it shows nothing."""


def _link_stage(nomination: Nomination) -> str:
    """What the provider is asked through a link now: the let once accepted, else the answer."""
    return "let" if nomination.status == Nomination.Status.ACCEPTED else "answer"


def _link_waits(nomination: Nomination, stage: str, challenges: int) -> bool:
    """Whether a link for this stage (and this round of challenges) is still to be used."""
    waiting = Nomination.Status.ACCEPTED if stage == "let" else Nomination.Status.SENT
    return nomination.status == waiting and nomination.challenges == challenges


def nomination_link_token(nomination: Nomination) -> str:
    """A signed token for this one nomination's secure link, for the stage it waits at now
    (its answer, in this round of challenges, or its let): once that stage is over the link
    is used; the next stage is emailed a fresh link (it expires: see the view)."""
    value = f"{nomination.pk}.{_link_stage(nomination)}.{nomination.challenges}"
    return signing.TimestampSigner(salt=LINK_SALT).sign(value)


def nomination_for_token(token: str) -> Nomination:
    """The nomination a secure link is for; ValidationError when the link is wrong or has
    expired (never which of the two, never any data); NominationLinkUsed when the stage it
    was sent for is over."""
    max_age = settings.NOMINATION_LINK_DAYS * 86400
    try:
        value = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ValidationError("This link has expired.") from error
    except signing.BadSignature as error:
        raise ValidationError("This link is not valid.") from error
    # A link sent before links had stages signs the id alone: the first answer's.
    pk, stage, challenges = [*value.split("."), "answer", "0"][:3]
    nomination = Nomination.objects.filter(pk=int(pk)).first()
    if nomination is None:
        raise ValidationError("This link is not valid.")
    if not _link_waits(nomination, stage, int(challenges)):
        raise NominationLinkUsed
    return nomination


def nomination_email_send(*, nomination_id: int, again: int = 0) -> str:
    """Email the provider's contact the secure link for what the nomination waits for now, its
    answer or its let (no personal data in the email itself); nothing once it waits for
    neither. The Message-ID makes a retry the same message; a link sent again by an officer
    (`again`: its number) is a message of its own."""
    nomination = Nomination.objects.select_related("provider", "vacancy__unit__site").get(
        pk=nomination_id
    )
    stage = _link_stage(nomination)
    if not _link_waits(nomination, stage, nomination.challenges):
        return ""
    link = settings.SERVICE_URL.rstrip("/") + reverse(
        "allocations:nomination-link", args=[nomination_link_token(nomination)]
    )
    how_long = (
        f"(it works for {settings.NOMINATION_LINK_DAYS} days, only for this nomination and "
        "only once)"
    )
    if stage == "let":
        subject = f"Confirm the let of {nomination.vacancy.unit} ({nomination.vacancy.reference})"
        body = (
            f"You accepted the council's nomination for your home {nomination.vacancy.unit}.\n\n"
            "When you know the tenancy start date, please confirm the let through this secure "
            f"link {how_long}:\n\n{link}\n"
        )
        about: tuple = ("nomination", nomination.pk, nomination.challenges, "let")
    else:
        subject = f"Nomination for {nomination.vacancy.unit} ({nomination.vacancy.reference})"
        body = (
            f"The council nominates a household for your home {nomination.vacancy.unit}.\n\n"
            f"Please accept or reject the nomination by {page_date(nomination.respond_by)} "
            f"through this secure link {how_long}:\n\n{link}\n"
        )
        about = ("nomination", nomination.pk, nomination.challenges)
    mail_send(
        subject=subject,
        body=body,
        to=[nomination.provider.contact_email],
        message_id=message_id(*about, *(("again", again) if again else ())),
    )
    return nomination.provider.contact_email


LINK_SENT_AGAIN = "Secure link sent again: "


def nomination_link_awaited(nomination: Nomination) -> bool:
    """Whether the nomination waits for the provider through a link now: its answer, or
    (accepted) its let."""
    return _link_waits(nomination, _link_stage(nomination), nomination.challenges)


@transaction.atomic
def nomination_link_resend(*, nomination: Nomination, reason: str, by: AbstractBaseUser) -> int:
    """The provider's contact lost the secure link, or let it expire: email a fresh one for
    what the nomination waits for now (its answer or its let), saying in its history who sent
    it and why. Returns which sending again this is (1 for the first)."""
    reason = reason_required(reason)
    nomination = _locked(nomination)
    if not nomination_link_awaited(nomination):
        raise ValidationError(
            f"This nomination is {nomination.get_status_display().lower()}: "
            f"{nomination.provider} has nothing to answer or confirm through a link, so none "
            "is sent."
        )
    again = nomination.history.filter(history_change_reason__startswith=LINK_SENT_AGAIN).count() + 1
    what = "the let" if _link_stage(nomination) == "let" else "the answer"
    save(nomination, by=by, reason=f"{LINK_SENT_AGAIN}for {what}: {reason}")
    outbox.enqueue(
        _email_task(),
        what=f"Email the nomination of {nomination.vacancy.reference} to {nomination.provider} "
        "again",
        nomination_id=nomination.pk,
        again=again,
    )
    return again


@transaction.atomic
def nomination_showing_record(
    *, nomination: Nomination, user: AbstractBaseUser | None, via: str
) -> NominationShowing:
    """Log that the provider was shown the nomination, with the agreement's lawful basis."""
    return NominationShowing.objects.create(
        nomination=nomination,
        user=user if user is not None and user.is_authenticated else None,
        via=via,
        fields=DISCLOSED,
        lawful_basis=nomination.provider.lawful_basis,
    )


def _locked(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("vacancy__unit", "application__household", "provider")
        .get(pk=nomination.pk)
    )


def _answer_check(nomination: Nomination) -> None:
    if nomination.status != Nomination.Status.SENT:
        raise ValidationError(
            f"This nomination is already answered: {nomination.get_status_display().lower()}."
        )


@transaction.atomic
def nomination_accept(
    *, nomination: Nomination, answered_by: str, by: AbstractBaseUser
) -> Nomination:
    """The provider accepts the household; the let is confirmed later with its start date."""
    nomination = _locked(nomination)
    _answer_check(nomination)
    NOMINATION.move(nomination, Nomination.Status.ACCEPTED)
    nomination.responded_at = timezone.now()
    nomination.responded_by_name = answered_by
    save(nomination, by=by, reason=f"Accepted by {nomination.provider} ({answered_by})")
    work_item_complete_for_source(
        source_key("nomination_answer", nomination.pk, nomination.challenges), by=by
    )
    # The answer's link is used: the let is confirmed through a fresh one, sent as the first.
    outbox.enqueue(
        _email_task(),
        what=f"Email the link to confirm the let of {nomination.vacancy.reference}",
        nomination_id=nomination.pk,
    )
    return nomination


def nomination_reject_problems(*, reason: str, detail: str) -> dict[str, str]:
    problems = {}
    if reason not in Nomination.RejectionReason.values:
        problems["rejection_reason"] = "Choose the reason for rejecting the nomination"
    elif reason == Nomination.RejectionReason.OTHER and not detail.strip():
        problems["rejection_detail"] = "Explain the reason for rejecting the nomination"
    return problems


@transaction.atomic
def nomination_reject(
    *, nomination: Nomination, reason: str, detail: str, answered_by: str, by: AbstractBaseUser
) -> Nomination:
    """The provider rejects the household with a reason from the list (and its explanation):
    the rejection goes to the council's officer to review."""
    nomination = _locked(nomination)
    _answer_check(nomination)
    if problems := nomination_reject_problems(reason=reason, detail=detail):
        raise ValidationError(problems)
    NOMINATION.move(nomination, Nomination.Status.REJECTED)
    nomination.responded_at = timezone.now()
    nomination.responded_by_name = answered_by
    nomination.rejection_reason = reason
    nomination.rejection_detail = detail.strip()
    save(
        nomination,
        by=by,
        reason=f"Rejected by {nomination.provider} ({answered_by}): {nomination.rejection_words}",
    )
    work_item_complete_for_source(
        source_key("nomination_answer", nomination.pk, nomination.challenges), by=by
    )
    work_add(
        key=source_key("nomination_review", nomination.pk, nomination.challenges),
        kind="nomination_review",
        title=f"Review {nomination.provider}'s rejection of "
        f"{household_name(nomination.application.household)} for {nomination.vacancy.unit}",
        due=timezone.localdate(),
        about=nomination,
        by=by,
        **_owner(nomination.sent_by),
    )
    return nomination


def _review_check(nomination: Nomination) -> None:
    if nomination.status != Nomination.Status.REJECTED:
        raise ValidationError(
            f"Only a rejection waiting for review can be reviewed; this nomination is "
            f"{nomination.get_status_display().lower()}."
        )


@transaction.atomic
def nomination_rejection_challenge(
    *, nomination: Nomination, note: str, by: AbstractBaseUser
) -> Nomination:
    """The officer challenges the rejection: back to the provider with the officer's note and
    a new answer date."""
    nomination = _locked(nomination)
    _review_check(nomination)
    note = reason_required(note)
    work_item_complete_for_source(
        source_key("nomination_review", nomination.pk, nomination.challenges), by=by
    )
    NOMINATION.move(nomination, Nomination.Status.SENT)
    nomination.challenge_note = note
    nomination.challenges += 1
    nomination.reviewed_at = timezone.now()
    nomination.reviewed_by = by
    nomination.respond_by = working_days_after(
        timezone.localdate(), nomination.provider.response_working_days
    )
    save(nomination, by=by, reason=f"Rejection challenged: {note}")
    _answer_work_add(nomination, by=by)
    outbox.enqueue(
        _email_task(),
        what=f"Email the challenged nomination of {nomination.vacancy.reference}",
        nomination_id=nomination.pk,
    )
    return nomination


@transaction.atomic
def nomination_rejection_accept(
    *, nomination: Nomination, note: str, by: AbstractBaseUser
) -> Nomination | None:
    """The officer accepts the rejection: the next household on the shortlist is nominated
    (returned), or None when nobody is left (re-advertise the home)."""
    nomination = _locked(nomination)
    _review_check(nomination)
    note = reason_required(note)
    NOMINATION.move(nomination, Nomination.Status.REJECTION_ACCEPTED)
    nomination.reviewed_at = timezone.now()
    nomination.reviewed_by = by
    save(nomination, by=by, reason=f"Rejection accepted: {note}")
    work_item_complete_for_source(
        source_key("nomination_review", nomination.pk, nomination.challenges), by=by
    )
    return nomination_next(vacancy=nomination.vacancy, by=by)


def nomination_let_problems(
    *,
    nomination: Nomination,
    tenancy_start_date: date | None,
    tenancy_type: int | None = None,
    tenancy_length: int | None = None,
    joint_tenancy: bool | None = None,
) -> dict:
    """What is wrong with a confirmation of the let, by field. The tenancy's terms are what
    CORE asks of the let (fields 36-38 and 40), checked as CORE checks them
    (validations/tenancy_validations.rb)."""
    problems: dict = {}
    if nomination.status != Nomination.Status.ACCEPTED:
        problems[NON_FIELD_ERRORS] = (
            "Only an accepted nomination's let can be confirmed; this one is "
            f"{nomination.get_status_display().lower()}."
        )
    accepted_on = nomination.responded_at and timezone.localdate(nomination.responded_at)
    if tenancy_start_date is not None and accepted_on and tenancy_start_date < accepted_on:
        problems["tenancy_start_date"] = (
            "The tenancy cannot start before the nomination was accepted"
        )
    if tenancy_type not in core.PROVIDER_TENANCY_TYPES:
        problems["tenancy_type"] = "Select the type of tenancy"
    elif tenancy_type in core.FIXED_TERM_TENANCIES:
        # #validate_general_needs_fixed_tenancy_length_affordable_social_rent: 2 to 99 years
        # (1 for intermediate rent and supported housing).
        shortest = 2 if nomination.vacancy.rent_type in AFFORDABLE_OR_SOCIAL else 1
        if tenancy_length is None:
            problems["tenancy_length"] = "Enter the length of the fixed term in years"
        elif not shortest <= tenancy_length <= 99:
            problems["tenancy_length"] = (
                f"The fixed term must be {shortest} to 99 years for this home's rent type"
            )
    elif tenancy_length is not None and tenancy_type != core.PERIODIC_TENANCY:
        problems["tenancy_length"] = "Give a length only for a fixed-term or periodic tenancy"
    elif tenancy_length is not None and not 1 <= tenancy_length <= 99:
        problems["tenancy_length"] = "A periodic tenancy's length must be 1 to 99 years"
    if joint_tenancy and nomination.application.household.people.count() < 2:
        # #validate_joint_tenancy: a household of one cannot hold a joint tenancy.
        problems["joint_tenancy"] = "A joint tenancy needs two or more people in the household"
    return problems


@transaction.atomic
def nomination_let_confirm(
    *,
    nomination: Nomination,
    tenancy_start_date: date,
    tenancy_type: int,
    starter_tenancy: bool,
    joint_tenancy: bool,
    tenancy_length: int | None = None,
    answered_by: str,
    by: AbstractBaseUser,
) -> Nomination:
    """The provider confirms the let with its tenancy's start date and terms (CORE asks them:
    the tenancy is the provider's, not on an agreement of ours): the vacancy is let and the
    home occupied; the household leaves its other shortlists."""
    unit = Unit.objects.select_for_update().get(vacancies=nomination.vacancy_id)
    nomination = _locked(nomination)
    if problems := nomination_let_problems(
        nomination=nomination,
        tenancy_start_date=tenancy_start_date,
        tenancy_type=tenancy_type,
        tenancy_length=tenancy_length,
        joint_tenancy=joint_tenancy,
    ):
        raise ValidationError(problems)
    NOMINATION.move(nomination, Nomination.Status.LET)
    nomination.tenancy_start_date = tenancy_start_date
    nomination.tenancy_type = tenancy_type
    nomination.starter_tenancy = starter_tenancy
    nomination.joint_tenancy = joint_tenancy
    nomination.tenancy_length = tenancy_length
    save(
        nomination,
        by=by,
        reason=f"Let confirmed by {nomination.provider} ({answered_by}): tenancy starts "
        f"{page_date(tenancy_start_date)}",
    )
    vacancy = Vacancy.objects.select_for_update().get(pk=nomination.vacancy_id)
    VACANCY.move(vacancy, Vacancy.Status.LET)
    save(vacancy, by=by, reason=f"Let by {nomination.provider} on nomination")
    unit_letting_move(
        unit=unit,
        to=Unit.Status.OCCUPIED,
        by=by,
        reason=f"Let by {nomination.provider} to {nomination.application.household} on the "
        f"council's nomination; tenancy starts {page_date(tenancy_start_date)}",
    )
    shortlists_under_offer(application=nomination.application, vacancy=vacancy, by=by)
    return nomination


@transaction.atomic
def vacancy_readvertise(*, vacancy: Vacancy, reason: str, by: AbstractBaseUser) -> Vacancy:
    """Nominations exhausted: the advert is withdrawn with the reason and the home advertised
    again, as a new advert, in the next cycle still to close."""
    from allocations.services.cycles import advert_publish, cycle_next_create

    vacancy = Vacancy.objects.select_related("unit").get(pk=vacancy.pk)
    reason = reason_required(reason)
    if vacancy.nominations.filter(status__in=Nomination.LIVE_STATUSES).exists():
        raise ValidationError(
            f"{vacancy.reference} has a nomination still open: it can be re-advertised only "
            "when nobody on its shortlist is left to nominate."
        )
    if vacancy.status == Vacancy.Status.CLOSED and _next_entry(vacancy) is not None:
        raise ValidationError(
            f"{vacancy.reference}'s shortlist still has households to nominate: nominate the "
            "next one, or bypass them with a reason."
        )
    vacancy_withdraw(vacancy=vacancy, reason=f"Nominations exhausted: {reason}", by=by)
    fields = {name: getattr(vacancy, name) for name in VACANCY_FIELDS}
    again = vacancy_create(unit=vacancy.unit, scheme=Scheme.CBL, by=by, **fields)
    for name in (
        "home_type",
        "parish",
        "area",
        "landlord",
        "weekly_rent",
        "weekly_charges",
        "access_categories",
    ):
        setattr(again, name, getattr(vacancy, name))
    save(again, by=by, reason=f"Re-advertised from {vacancy.reference}: {reason}")
    cycle = (
        BiddingCycle.objects.filter(frozen_at__isnull=True, closes_at__gt=timezone.now())
        .order_by("opens_at")
        .first()
    ) or cycle_next_create(by=by)
    return advert_publish(vacancy=again, cycle=cycle, by=by)
