"""Tenancies of homes: the kind from the council's policy, the draft prepared on approval, what
signing asks of a tenancy, and the introductory period's review before it becomes secure
(Housing Act 1996 Part 5 Chapter 1; Housing Act 1985 for secure and flexible tenancies).

A tenancy is the same occupancy agreement as a pitch licence (`Licence`, with a tenancy kind):
it is signed, occupies the home, ends and voids it through the same services."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.kernel.dates import page_date
from config.kernel.records import reason_required
from config.roles import TEAM_LEADER
from projects.services import work_item_create
from projects.work import (
    source_key,
    work_item_complete_for_source,
    work_item_for_source,
    work_items_close_for_prefix,
)
from residents.models import Household, Licence
from residents.panels import INTRODUCTORY_REVIEWED
from residents.services.licence_common import (
    draft_complete,
    draft_existing,
    draft_people,
    licence_locked,
    licence_reference_next,
    licence_save,
)
from sites.models import Unit

# Housing Act 1996 s.125: an introductory tenancy is a trial year, then secure.
INTRODUCTORY_MONTHS = 12
# s.125A: the landlord may extend it once, by 6 months, with a notice served at least 8 weeks
# before the trial year ends; the tenant may ask for a review of that decision within 14 days
# of the notice (s.125B: selectors.tenancy_review_right_until).
EXTENSION_MONTHS = 6
REVIEW_WEEKS_BEFORE = 8
# A flexible tenancy (Housing Act 1985 s.107A) is for at least 2 years; councils use 5.
FIXED_TERM_YEARS = 5


def tenancy_kind_for(*, household: Household, fixed_term_tenancies: bool) -> str:
    """The council's policy: a secure tenant who transfers stays secure; anyone else starts on
    an introductory tenancy, or a fixed-term one where the council uses them."""
    if Licence.objects.filter(
        household=household, status=Licence.Status.LIVE, kind=Licence.Kind.SECURE
    ).exists():
        return Licence.Kind.SECURE
    if fixed_term_tenancies:
        return Licence.Kind.FIXED_TERM
    return Licence.Kind.INTRODUCTORY


@transaction.atomic
def tenancy_draft_create(
    *,
    household: Household,
    unit: Unit,
    start_date: date,
    by: AbstractBaseUser,
    reason: str = "",
    officer: AbstractBaseUser | None = None,
    fixed_term_tenancies: bool = False,
) -> Licence:
    """Prepare a draft tenancy of a home for an approved allocation (licence_draft_create hands
    homes here): its kind from the policy, the home's rent and service charges, the lead
    person as tenant and everyone else as household members (another adult can be made a
    joint tenant before signing). "Sign up tenancy" goes to `officer`'s queue."""
    existing = draft_existing(household=household, unit=unit)
    if existing is not None:
        return existing
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    if unit.is_pitch:
        raise ValidationError(f"{unit} is a pitch: it is let on a licence, not a tenancy.")
    if unit.status not in (Unit.Status.VOID, Unit.Status.ALLOCATED):
        raise ValidationError(
            f"{unit} is {unit.get_status_display().lower()}: a tenancy can be prepared only "
            "for a void home with no open vacancy, or for the allocation approved on it."
        )
    # A tenant is an adult on the tenancy's first day, as a licence holder is.
    people = draft_people(
        household, holding="be the tenant", adult_on=start_date, holder_word="tenant"
    )
    kind = tenancy_kind_for(household=household, fixed_term_tenancies=fixed_term_tenancies)
    tenancy = Licence(
        reference=licence_reference_next(prefix="T"),
        household=household,
        unit=unit,
        status=Licence.Status.DRAFT,
        kind=kind,
        start_date=start_date,
        weekly_rent=unit.weekly_charge,
        service_charge=unit.service_charge,
        terms_version=settings.LICENCE_TERMS_VERSION,
    )
    tenancy_dates_follow_start(tenancy)
    licence_save(tenancy, by=by, reason=reason or "Tenancy prepared from an approved allocation")
    draft_complete(tenancy, people=people, by=by, officer=officer, noun="tenancy")
    return tenancy


def tenancy_dates_follow_start(tenancy: Licence) -> None:
    """An introductory period of 12 months, or a fixed term of 5 years, from the start."""
    if tenancy.kind == Licence.Kind.INTRODUCTORY:
        tenancy.introductory_ends_on = tenancy.start_date + relativedelta(
            months=INTRODUCTORY_MONTHS
        )
    elif tenancy.kind == Licence.Kind.FIXED_TERM:
        tenancy.end_date = tenancy.start_date + relativedelta(years=FIXED_TERM_YEARS)
        tenancy.end_reason = Licence.EndReason.FIXED_TERM


def tenancy_sign_problems(
    *, tenancy: Licence, signed_on: date | None, keys_handed_over_on: date | None
) -> dict[str, str]:
    """What signing a tenancy asks beyond a licence: the day the keys were handed over."""
    if keys_handed_over_on is None:
        return {"keys_handed_over_on": "Enter the date the keys were handed over"}
    if keys_handed_over_on > timezone.localdate():
        return {"keys_handed_over_on": "The date the keys were handed over must be today or past"}
    if signed_on is not None and keys_handed_over_on < signed_on:
        return {"keys_handed_over_on": "The keys are handed over on or after the signing"}
    return {}


# --- The introductory period's review --------------------------------------------------------


def tenancy_review_due_on(tenancy: Licence) -> date:
    """The review is put in the queue 8 weeks before the introductory period ends: the last
    day a notice extending it can be served (s.125A)."""
    return tenancy.introductory_ends_on - timedelta(weeks=REVIEW_WEEKS_BEFORE)


def _review_key(tenancy: Licence) -> str:
    # The period's end is part of the key: an extended period has its own review.
    return source_key("introductory_review", tenancy.pk, tenancy.introductory_ends_on)


def tenancy_reviews_due(*, today: date, by: AbstractBaseUser) -> int:
    """Nightly: put "Review introductory tenancy" in the team leaders' queue for each live
    introductory tenancy whose review date has come and is not yet reviewed for this period.
    Idempotent (one work item per tenancy and period)."""
    made = 0
    due = Licence.objects.filter(
        status=Licence.Status.LIVE,
        kind=Licence.Kind.INTRODUCTORY,
        introductory_ends_on__lte=today + timedelta(weeks=REVIEW_WEEKS_BEFORE),
    ).exclude(introductory_review=Licence.IntroductoryReview.CONFIRMED)
    for tenancy in due.select_related("unit__site").order_by("introductory_ends_on", "pk"):
        if work_item_for_source(_review_key(tenancy)) is not None:
            continue
        with transaction.atomic():
            work_item_create(
                kind="introductory_review",
                title=f"Review introductory tenancy {tenancy.reference} ({tenancy.unit}): "
                f"secure from {page_date(tenancy.introductory_ends_on)} unless extended",
                due=max(tenancy_review_due_on(tenancy), today),
                about=tenancy,
                role=TEAM_LEADER.name,
                source_key=_review_key(tenancy),
                by=by,
            )
        made += 1
    return made


def _introductory_for_review(tenancy: Licence) -> Licence:
    tenancy = licence_locked(tenancy)
    if tenancy.kind != Licence.Kind.INTRODUCTORY or tenancy.status != Licence.Status.LIVE:
        raise ValidationError("Only a live introductory tenancy has an introductory review.")
    if tenancy.introductory_review == Licence.IntroductoryReview.CONFIRMED:
        raise ValidationError(
            f"Tenancy {tenancy.reference} is already confirmed: secure from "
            f"{page_date(tenancy.introductory_ends_on)}."
        )
    return tenancy


@transaction.atomic
def tenancy_introductory_confirm(*, tenancy: Licence, by: AbstractBaseUser) -> Licence:
    """The review found the trial went well: the tenancy becomes secure when the introductory
    period ends (at once if that day has come; otherwise `tenancies_secure_due` on the day)."""
    tenancy = _introductory_for_review(tenancy)
    today = timezone.localdate()
    tenancy.introductory_review = Licence.IntroductoryReview.CONFIRMED
    tenancy.introductory_reviewed_on = today
    licence_save(
        tenancy,
        by=by,
        reason=f"Introductory period confirmed: secure from "
        f"{page_date(tenancy.introductory_ends_on)}",
    )
    work_item_complete_for_source(_review_key(tenancy), by=by)
    INTRODUCTORY_REVIEWED.call(tenancy=tenancy, by=by)  # the letter telling the tenants
    if tenancy.introductory_ends_on <= today:
        tenancy_become_secure(tenancy, by=by)
    return tenancy


@transaction.atomic
def tenancy_introductory_extend(*, tenancy: Licence, reason: str, by: AbstractBaseUser) -> Licence:
    """Extend the introductory period by 6 months, once, with the reason (s.125A): the notice
    is served at least 8 weeks before the period ends, and tells the tenant of their right to
    ask for a review of the decision within 14 days (s.125B)."""
    tenancy = _introductory_for_review(tenancy)
    reason = reason_required(reason)
    today = timezone.localdate()
    if tenancy.introductory_review == Licence.IntroductoryReview.EXTENDED:
        raise ValidationError("The introductory period can be extended only once.")
    if today > tenancy_review_due_on(tenancy):
        raise ValidationError(
            "The notice extending the introductory period must be served at least 8 weeks "
            f"before it ends ({page_date(tenancy.introductory_ends_on)}): the last day was "
            f"{page_date(tenancy_review_due_on(tenancy))}."
        )
    work_item_complete_for_source(_review_key(tenancy), by=by)
    tenancy.introductory_ends_on += relativedelta(months=EXTENSION_MONTHS)
    tenancy.introductory_review = Licence.IntroductoryReview.EXTENDED
    tenancy.introductory_reviewed_on = today
    tenancy.introductory_extension_reason = reason
    licence_save(
        tenancy,
        by=by,
        reason=f"Introductory period extended to {page_date(tenancy.introductory_ends_on)}: "
        f"{reason}",
    )
    # The notice itself: the reasons and the review right, drawn as a letter to the tenants.
    INTRODUCTORY_REVIEWED.call(tenancy=tenancy, by=by)
    return tenancy


def tenancy_become_secure(tenancy: Licence, *, by) -> Licence:
    tenancy.kind = Licence.Kind.SECURE
    secure_from = page_date(tenancy.introductory_ends_on)
    licence_save(tenancy, by=by, reason=f"Secure from {secure_from}: introductory period ended")
    # Secure by law, reviewed or not: a review still in the team leaders' queue can no longer
    # be done (the review action is for an introductory tenancy), so it leaves the queue.
    work_items_close_for_prefix(
        source_key("introductory_review", tenancy.pk),
        by=by,
        reason=f"Tenancy {tenancy.reference} became secure on {secure_from} without a review",
    )
    return tenancy


def tenancies_secure_due(*, today: date, by: AbstractBaseUser) -> int:
    """Nightly: each live introductory tenancy whose period has ended becomes secure. By law
    (s.125(2)) it does so whether or not it was reviewed, unless it has ended (possession):
    the review is the council's chance to extend it or seek possession in time."""
    made = 0
    while True:
        with transaction.atomic():
            tenancy = (
                Licence.objects.select_for_update(skip_locked=True)
                .filter(
                    status=Licence.Status.LIVE,
                    kind=Licence.Kind.INTRODUCTORY,
                    introductory_ends_on__lte=today,
                )
                .order_by("pk")
                .first()
            )
            if tenancy is None:
                return made
            tenancy_become_secure(tenancy, by=by)
            made += 1
