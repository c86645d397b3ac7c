"""Low-cost home ownership resales: the seller's notice, the valuation (and the work item
before it expires), nominations from the register of eligible purchasers, a buyer proceeding
or withdrawing, the sale, and the release to the open market once the window has passed.

Each step records on the case what was sent, and to whom (`ResaleStep`), and requests the
letters for it (allocations.Letter about the case, addressed to the seller at the home or to
the buyer at their address on the register, in the council's wording):

    notice received        -> the seller: the window and its end
    valuation recorded     -> the seller: the price after the discount, valid until
    buyer nominated        -> the seller (who was nominated) and the buyer (the price, the end)
    buyer not eligible     -> the buyer: every reason under the agreement
    released               -> the seller: the open market from the date
    nominee withdrew       -> the seller: who withdrew, and that the window carries on
    nomination ended       -> each buyer still nominated when the home is released or sold to
                              another nominee: why, and from when
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import Letter, Purchaser, ResaleCase, ResaleNomination, ResaleStep
from allocations.rules import resales as rules
from allocations.services.letters import letter_request_to
from allocations.services.reminders import work_add
from config.kernel.dates import letter_date, page_date
from config.kernel.locks import in_turn
from config.kernel.records import save
from config.roles import OFFICER
from projects.work import source_key, work_item_complete_for_source

PURCHASER_FIELDS = (
    "name",
    "household_income",
    "local_connection",
    "parish",
    "first_time_buyer",
    "address",
)
CASE_FIELDS = (
    "product",
    "address",
    "seller_name",
    "notice_on",
    "discount_percent",
    "local_connection_parish",
    "income_cap",
    "first_time_buyers_only",
    "price_cap",
    "window_weeks",
    "valuation_valid_weeks",
)
LIVE = (ResaleCase.Status.OPEN, ResaleCase.Status.PROCEEDING)


def _step(case: ResaleCase, kind: str, on: date, sent_to: str, words: str, by) -> ResaleStep:
    step = ResaleStep(case=case, kind=kind, on=on, sent_to=sent_to, communication=words)
    save(step, by=by, reason=f"{step.get_kind_display()}: {sent_to} told")
    return step


def _lines(address: str) -> list[str]:
    """An address typed on one line (commas) or several, as the letter's lines."""
    return [part.strip() for part in address.replace("\n", ",").split(",") if part.strip()]


def resale_reference(case: ResaleCase) -> str:
    return f"RESALE-{case.pk:06d}"


def _letter(case: ResaleCase, kind: str, *, by, to: Purchaser | None = None, **extra) -> Letter:
    """A letter about the case: to the seller at the home, or to a buyer at their address."""
    return letter_request_to(
        kind=kind,
        name=to.name if to is not None else case.seller_name,
        address=_lines(to.address if to is not None else case.address),
        our_reference=resale_reference(case),
        resale_case=case,
        by=by,
        context={
            "home": case.address,
            "product": case.get_product_display().lower(),
            "seller_name": case.seller_name,
            "window_ends": letter_date(case.window_ends),
            "window_weeks": case.window_weeks,
            # Whose letter it is, for their subject access request and their purge.
            **({"purchaser_id": to.pk} if to is not None else {}),
            **extra,
        },
    )


def _valuation_key(case: ResaleCase) -> str:
    assert case.valued_on is not None  # only a valued case has valuation work
    return source_key("resale_valuation", case.pk, case.valued_on.isoformat())


def _valuation_work_close(case: ResaleCase, by) -> None:
    if case.valued_on is not None:
        work_item_complete_for_source(_valuation_key(case), by=by)


def _ahead(on: date | None, what: str) -> str:
    """A step is recorded once it has happened: a date still to come (a mistyped year) would
    release the home before its window ends, keep a valuation valid past its 12 weeks, or
    close the case on a day to come. "" when `on` is today or earlier (or not given)."""
    if on is not None and on > timezone.localdate():
        return f"The {what} must be today or in the past"
    return ""


def _locked(case: ResaleCase) -> ResaleCase:
    return ResaleCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def purchaser_save(
    *, by: AbstractBaseUser, purchaser: Purchaser | None = None, **fields
) -> Purchaser:
    """Add someone to the register of eligible purchasers, or change their record."""
    unknown = set(fields) - set(PURCHASER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    creating = purchaser is None
    purchaser = purchaser or Purchaser()
    for name, value in fields.items():
        setattr(purchaser, name, value.strip() if isinstance(value, str) else value)
    problems: dict[str, str] = {}
    if not purchaser.name:
        problems["name"] = "Enter the purchaser's name"
    if purchaser.household_income is None or purchaser.household_income < 0:
        problems["household_income"] = "Enter the household's income a year, £0 or more"
    if purchaser.local_connection and not purchaser.parish:
        problems["parish"] = "Enter the parish of the local connection"
    if problems:
        raise ValidationError(problems)
    # Entries are added and changed one at a time, so "Add to the register" pressed twice (or
    # two officers adding the same buyer at once) finds the first entry and refuses the second.
    in_turn("allocations.purchaser")
    if same := _same_purchaser(purchaser):
        raise ValidationError(
            {
                "name": f"{same.name} is already on the register (entry {same.pk}, added on "
                f"{page_date(timezone.localdate(same.created_at))}, "
                f"{'at ' + ', '.join(_lines(same.address)) if same.address else 'no address'})"
                ": change that entry instead, or give this buyer's address if they are "
                "someone else"
            }
        )
    if not purchaser.local_connection:
        purchaser.parish = ""
    save(purchaser, by=by, reason="Purchaser registered" if creating else "Purchaser changed")
    return purchaser


def _same_purchaser(purchaser: Purchaser) -> Purchaser | None:
    """Another entry on the register for the same person: the same name at the same address
    (case, commas and spacing set aside; the register holds no date of birth or email)."""
    name, home = _same_home(purchaser.name), _same_home(purchaser.address)
    others = Purchaser.objects.filter(name__istartswith=name.split()[0]).exclude(pk=purchaser.pk)
    return next(
        (
            other
            for other in others.order_by("pk")
            if _same_home(other.name) == name and _same_home(other.address) == home
        ),
        None,
    )


def _same_home(address: str) -> str:
    """An address as compared with another: case, commas and spacing set aside."""
    return " ".join(address.replace(",", " ").split()).casefold()


def _live_case_of(address: str) -> ResaleCase | None:
    """The case still open or proceeding for this home, if any (a handful are live at once)."""
    home = _same_home(address)
    return next(
        (
            case
            for case in ResaleCase.objects.filter(status__in=LIVE).order_by("pk")
            if _same_home(case.address) == home
        ),
        None,
    )


def resale_notice_problems(**fields) -> dict[str, str]:
    """What is wrong with a seller's notice, all at once (nothing written)."""
    problems: dict[str, str] = {}
    if not (fields.get("address") or "").strip():
        problems["address"] = "Enter the address of the home"
    elif live := _live_case_of(fields["address"]):
        # The same notice recorded twice (a second press, the page sent again) would open a
        # second window and send the seller a second letter.
        problems["address"] = (
            f"{live.address} already has a resale case ({resale_reference(live)}, notice "
            f"received on {page_date(live.notice_on)}, {live.get_status_display().lower()}): "
            "record this notice's steps on that case"
        )
    if not (fields.get("seller_name") or "").strip():
        problems["seller_name"] = "Enter the seller's name"
    if ahead := _ahead(fields.get("notice_on"), "date the seller's notice was received"):
        problems["notice_on"] = ahead
    product = fields.get("product")
    if product == ResaleCase.Product.FIRST_HOMES:
        if fields.get("price_cap") is None:
            problems["price_cap"] = "Enter the First Homes price cap from the agreement"
        if not fields.get("discount_percent"):
            problems["discount_percent"] = "First Homes are sold at a discount: enter it"
    elif fields.get("price_cap") is not None:
        problems["price_cap"] = "Only First Homes have a price cap"
    if product == ResaleCase.Product.DISCOUNT_MARKET_SALE and not fields.get("discount_percent"):
        problems["discount_percent"] = "Enter the discount the agreement sets"
    if not ((fields.get("local_connection_parish") or "").strip() or fields.get("income_cap")):
        problems["local_connection_parish"] = (
            "Enter the eligibility the agreement sets: a local connection, an income cap, or both"
        )
    return problems


@transaction.atomic
def resale_notice_record(*, by: AbstractBaseUser, **fields) -> ResaleCase:
    """A seller's notice opens the case, and the nomination window with it."""
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    # Notices are recorded one at a time, so the same one sent twice at once opens one case.
    in_turn("allocations.resale_notice")
    problems = resale_notice_problems(**fields)
    if problems:
        raise ValidationError(problems)
    case = ResaleCase(**{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    case.full_clean()
    save(case, by=by, reason="Seller's notice received")
    _step(
        case,
        ResaleStep.Kind.NOTICE,
        case.notice_on,
        case.seller_name,
        f"Notice acknowledged. The council may nominate buyers until "
        f"{page_date(case.window_ends)} ({case.window_weeks} weeks); the seller may not sell "
        "on the open market before then.",
        by,
    )
    _letter(case, Letter.Kind.RESALE_NOTICE, by=by, notice_on=letter_date(case.notice_on))
    return case


@transaction.atomic
def resale_valuation_record(
    *, case: ResaleCase, amount: Decimal, valued_on: date, by: AbstractBaseUser
) -> ResaleCase:
    """The valuation the price is set from; a work item to renew it before it expires."""
    case = _locked(case)
    problems: dict[str, str] = {}
    if case.status not in LIVE:
        problems["amount"] = "This resale is closed: no new valuation is needed"
    if amount is None or amount <= 0:
        problems["amount"] = "Enter the valuation in pounds, more than £0"
    if valued_on is not None and case.valued_on is not None and valued_on < case.valued_on:
        problems["valued_on"] = (
            f"The case already has a valuation of {page_date(case.valued_on)}: a new one "
            "must be on or after it"
        )
    if ahead := _ahead(valued_on, "date of the valuation"):
        problems["valued_on"] = ahead
    if problems:
        raise ValidationError(problems)
    _valuation_work_close(case, by)
    case.valuation_amount = amount
    case.valued_on = valued_on
    save(case, by=by, reason=f"Valuation of {rules.money(amount)} on {page_date(valued_on)}")
    expires = rules.valuation_expires(valued_on, case.valuation_valid_weeks)
    price = rules.asking_price(case.terms(), amount)
    work_add(
        key=_valuation_key(case),
        kind="resale_valuation",
        title=f"Valuation of {case.address} expires on {page_date(expires)}",
        due=expires - timedelta(days=rules.VALUATION_WARNING_DAYS),
        about=case,
        by=by,
        role=OFFICER.name,
    )
    after_discount = rules.discounted_price(amount, case.discount_percent)
    words = (
        f"Valuation {rules.money(amount)} on {page_date(valued_on)}, valid to "
        f"{page_date(expires)}; price after the {case.discount_percent}% discount "
        f"{rules.money(after_discount)}."
    )
    cap = rules.price_cap_problem(case.terms(), amount)
    if price != after_discount:
        cap += f"; the price to a nominated buyer is {rules.money(price)}."
    _step(case, ResaleStep.Kind.VALUATION, valued_on, case.seller_name, f"{words} {cap}", by)
    _letter(
        case,
        Letter.Kind.RESALE_VALUATION,
        by=by,
        valuation=rules.money(amount),
        valued_on=letter_date(valued_on),
        valid_until=letter_date(expires),
        price=rules.money(price),
        discount=str(case.discount_percent),
    )
    return case


def resale_nominate_problems(*, case: ResaleCase, purchaser: Purchaser, on: date) -> list[str]:
    problems: list[str] = []
    if case.status != ResaleCase.Status.OPEN:
        problems.append(
            f"Buyers are nominated only while the window is open; this resale is "
            f"{case.get_status_display().lower()}"
        )
    elif on > case.window_ends:
        problems.append(f"The nomination window ended on {page_date(case.window_ends)}")
    if on < case.notice_on:
        problems.append("A nomination cannot be before the seller's notice")
    if ahead := _ahead(on, "date of the nomination"):
        problems.append(ahead)
    if case.valued_on is None:
        problems.append("Record the valuation before nominating a buyer")
    elif on < case.valued_on:
        # The buyer's letter gives the price from this valuation, which did not exist yet.
        problems.append(
            f"A nomination cannot be before the valuation of {page_date(case.valued_on)} "
            "that sets the price"
        )
    elif on > (expires := rules.valuation_expires(case.valued_on, case.valuation_valid_weeks)):
        problems.append(f"The valuation expired on {page_date(expires)}: record a new one")
    if case.nominations.filter(purchaser=purchaser).exists():
        problems.append(f"{purchaser} is already nominated to this resale")
    problems += [
        f"{purchaser} is not eligible: {reason}"
        for reason in rules.buyer_not_eligible(case.terms(), purchaser.buyer())
    ]
    return problems


@transaction.atomic
def resale_nominate(
    *, case: ResaleCase, purchaser: Purchaser, on: date, by: AbstractBaseUser
) -> ResaleNomination:
    """The council nominates an eligible buyer from the register, inside the window."""
    case = _locked(case)
    problems = resale_nominate_problems(case=case, purchaser=purchaser, on=on)
    if problems:
        raise ValidationError(problems)
    assert case.valuation_amount is not None  # a nomination needs a valuation in date
    price = rules.money(rules.asking_price(case.terms(), case.valuation_amount))
    nomination = ResaleNomination(case=case, purchaser=purchaser, nominated_on=on)
    save(nomination, by=by, reason=f"{purchaser} nominated")
    _step(
        case,
        ResaleStep.Kind.NOMINATION,
        on,
        f"{case.seller_name} and {purchaser}",
        f"{purchaser} nominated to buy at {price}.",
        by,
    )
    # The seller's letter names the buyer: it goes with the buyer's data when they are purged
    # (the case's step keeps the nomination, the name removed); it is the seller's letter, so
    # not in the buyer's subject access export.
    _letter(
        case,
        Letter.Kind.RESALE_NOMINATED,
        by=by,
        buyer_name=purchaser.name,
        price=price,
        names_purchaser_id=purchaser.pk,
    )
    _letter(
        case,
        Letter.Kind.RESALE_NOMINEE,
        by=by,
        to=purchaser,
        buyer_name=purchaser.name,
        price=price,
    )
    return nomination


@transaction.atomic
def resale_not_eligible_tell(
    *, case: ResaleCase, purchaser: Purchaser, on: date, by: AbstractBaseUser
) -> ResaleStep:
    """Tell a buyer on the register who asked about this home that they are not eligible for
    it, with every reason under the agreement (a buyer who is eligible is not told so)."""
    case = _locked(case)
    reasons = rules.buyer_not_eligible(case.terms(), purchaser.buyer())
    problems: dict[str, str] = {}
    if case.status not in LIVE:
        problems["purchaser"] = f"This resale is {case.get_status_display().lower()}"
    elif not reasons:
        problems["purchaser"] = f"{purchaser} is eligible for this home: nominate them instead"
    if on is None or on < case.notice_on:
        problems["on"] = "The date cannot be before the seller's notice"
    elif ahead := _ahead(on, "date they asked about this home"):
        problems["on"] = ahead
    if problems:
        raise ValidationError(problems)
    step = _step(
        case,
        ResaleStep.Kind.NOT_ELIGIBLE,
        on,
        purchaser.name,
        f"{purchaser} is not eligible: {'; '.join(reasons)}.",
        by,
    )
    _letter(
        case,
        Letter.Kind.RESALE_NOT_ELIGIBLE,
        by=by,
        to=purchaser,
        buyer_name=purchaser.name,
        reasons=reasons,
    )
    return step


def _nomination_locked(nomination: ResaleNomination) -> ResaleNomination:
    return (
        ResaleNomination.objects.select_for_update()
        .select_related("case", "purchaser")
        .get(pk=nomination.pk)
    )


@transaction.atomic
def resale_nomination_proceed(
    *, nomination: ResaleNomination, on: date, by: AbstractBaseUser
) -> ResaleNomination:
    """The nominee goes ahead with the purchase: the window's clock no longer matters."""
    nomination = _nomination_locked(nomination)
    case = _locked(nomination.case)
    if nomination.status != ResaleNomination.Status.NOMINATED or case.status != (
        ResaleCase.Status.OPEN
    ):
        raise ValidationError("Only a nominee on an open resale can proceed")
    if ahead := _ahead(on, "date the buyer said they are proceeding"):
        raise ValidationError({"on": ahead})
    if on < nomination.nominated_on:
        raise ValidationError(
            {
                "on": f"The buyer cannot proceed before they were nominated on "
                f"{page_date(nomination.nominated_on)}"
            }
        )
    nomination.status = ResaleNomination.Status.PROCEEDING
    nomination.decided_on = on
    save(nomination, by=by, reason="Buyer proceeding")
    case.status = ResaleCase.Status.PROCEEDING
    save(case, by=by, reason=f"{nomination.purchaser} proceeding")
    _step(
        case,
        ResaleStep.Kind.PROCEEDING,
        on,
        f"{case.seller_name} and {nomination.purchaser}",
        f"{nomination.purchaser} is proceeding with the purchase.",
        by,
    )
    return nomination


@transaction.atomic
def resale_nomination_withdraw(
    *, nomination: ResaleNomination, on: date, reason: str, by: AbstractBaseUser
) -> ResaleNomination:
    """The nominee withdraws (before or after proceeding): the window carries on."""
    nomination = _nomination_locked(nomination)
    case = _locked(nomination.case)
    problems: dict[str, str] = {}
    if nomination.status == ResaleNomination.Status.WITHDRAWN or case.status not in LIVE:
        problems["reason"] = "This nomination can no longer be withdrawn"
    if not (reason or "").strip():
        problems["reason"] = "Say why the buyer withdrew"
    if ahead := _ahead(on, "date the buyer withdrew"):
        problems["on"] = ahead
    elif on is not None and on < nomination.nominated_on:
        problems["on"] = (
            f"The buyer cannot withdraw before they were nominated on "
            f"{page_date(nomination.nominated_on)}"
        )
    elif on is not None and nomination.decided_on and on < nomination.decided_on:
        problems["on"] = (
            f"The buyer cannot withdraw before they said they were proceeding on "
            f"{page_date(nomination.decided_on)}"
        )
    if problems:
        raise ValidationError(problems)
    was_proceeding = nomination.status == ResaleNomination.Status.PROCEEDING
    nomination.status = ResaleNomination.Status.WITHDRAWN
    nomination.decided_on = on
    nomination.withdrawal_reason = reason.strip()
    save(nomination, by=by, reason=f"Buyer withdrew: {reason.strip()}")
    if was_proceeding:
        case.status = ResaleCase.Status.OPEN
        save(case, by=by, reason=f"{nomination.purchaser} withdrew: window open again")
    _step(
        case,
        ResaleStep.Kind.WITHDRAWAL,
        on,
        f"{case.seller_name} and {nomination.purchaser}",
        f"{nomination.purchaser} withdrew: {reason.strip()}",
        by,
    )
    # The seller is told, as of every other step; not the buyer's reason, which is theirs
    # (and may be about their health or money). The letter names the buyer, so it goes with
    # the buyer's data when they are purged, as the nomination letter does.
    _letter(
        case,
        Letter.Kind.RESALE_WITHDRAWN,
        by=by,
        buyer_name=nomination.purchaser.name,
        withdrawn_on=letter_date(on),
        was_proceeding=was_proceeding,
        names_purchaser_id=nomination.purchaser.pk,
    )
    return nomination


def _nominations_end(case: ResaleCase, *, on: date, reason: str, because: str, by) -> None:
    """End every nomination still open on a case that is closing (released, or sold to
    another nominee): withdrawn with the reason, recorded as a step, and the buyer told by
    letter (`because` finishes the letter's sentence; it never names another buyer)."""
    for nomination in (
        case.nominations.select_for_update()
        .select_related("purchaser")
        .filter(status=ResaleNomination.Status.NOMINATED)
    ):
        nomination.status = ResaleNomination.Status.WITHDRAWN
        nomination.decided_on = on
        nomination.withdrawal_reason = reason
        save(nomination, by=by, reason=f"Nomination ended: {reason}")
        _step(
            case,
            ResaleStep.Kind.WITHDRAWAL,
            on,
            f"{nomination.purchaser}",
            f"{nomination.purchaser}'s nomination ended: {reason}. A letter tells the buyer.",
            by,
        )
        _letter(
            case,
            Letter.Kind.RESALE_ENDED,
            by=by,
            to=nomination.purchaser,
            buyer_name=nomination.purchaser.name,
            ended_on=letter_date(on),
            ended_because=because,
        )


@transaction.atomic
def resale_sold(*, case: ResaleCase, on: date, by: AbstractBaseUser) -> ResaleCase:
    """The proceeding nominee has completed the purchase."""
    case = _locked(case)
    if case.status != ResaleCase.Status.PROCEEDING:
        raise ValidationError("Only a resale with a buyer proceeding can be recorded as sold")
    if ahead := _ahead(on, "date the sale completed"):
        raise ValidationError({"on": ahead})
    proceeding = case.nominations.select_related("purchaser").get(
        status=ResaleNomination.Status.PROCEEDING
    )
    if on < case.notice_on:
        raise ValidationError(
            {
                "on": "The sale cannot complete before the seller's notice of "
                f"{page_date(case.notice_on)}"
            }
        )
    if proceeding.decided_on and on < proceeding.decided_on:
        raise ValidationError(
            {
                "on": f"The sale cannot complete before the buyer said they were proceeding on "
                f"{page_date(proceeding.decided_on)}"
            }
        )
    buyer = proceeding.purchaser
    case.status = ResaleCase.Status.SOLD
    case.closed_on = on
    save(case, by=by, reason=f"Sold to {buyer}")
    _valuation_work_close(case, by)
    _step(case, ResaleStep.Kind.SOLD, on, f"{case.seller_name} and {buyer}", "Sale completed.", by)
    # The other nominees who had not gone ahead are not left nominated to a sold home.
    _nominations_end(
        case,
        on=on,
        reason=f"The home was sold to another nominated buyer on {page_date(on)}",
        because=f"the home was sold to another buyer we nominated, on {letter_date(on)}",
        by=by,
    )
    return case


def resale_release_problems(*, case: ResaleCase, on: date) -> list[str]:
    problems: list[str] = []
    if case.status == ResaleCase.Status.PROCEEDING:
        problems.append("A nominated buyer is proceeding: the home cannot be released")
    elif case.status != ResaleCase.Status.OPEN:
        problems.append(f"This resale is already {case.get_status_display().lower()}")
    if on is not None and on <= case.window_ends:
        problems.append(
            f"The nomination window runs until {page_date(case.window_ends)} "
            f"({rules.days_left(case.window_ends, on)} days left): the seller may sell on the "
            "open market only after it ends with no nominee proceeding"
        )
    if ahead := _ahead(on, "date of the release"):
        problems.append(ahead)
    return problems


@transaction.atomic
def resale_release(*, case: ResaleCase, on: date, by: AbstractBaseUser) -> ResaleCase:
    """No nominee proceeded in the window: the seller may sell on the open market."""
    case = _locked(case)
    problems = resale_release_problems(case=case, on=on)
    if problems:
        raise ValidationError({"on": problems})
    case.status = ResaleCase.Status.RELEASED
    case.closed_on = on
    save(case, by=by, reason=f"Released to the open market on {page_date(on)}")
    # A nominee who never proceeded is not left nominated to a home on the open market: the
    # release ends the nomination, with the reason, and the buyer is told by letter.
    _nominations_end(
        case,
        on=on,
        reason=(
            f"The nomination window ended on {page_date(case.window_ends)} without the buyer "
            f"proceeding: the home was released to the open market on {page_date(on)}"
        ),
        because=(
            f"no buyer we nominated went ahead before the nomination period ended on "
            f"{letter_date(case.window_ends)}, so the home was released for sale on the open "
            f"market on {letter_date(on)}"
        ),
        by=by,
    )
    _valuation_work_close(case, by)
    _step(
        case,
        ResaleStep.Kind.RELEASE,
        on,
        case.seller_name,
        f"No nominated buyer proceeded in the window that ended on "
        f"{page_date(case.window_ends)}: the home may be sold on the open market from "
        f"{page_date(on)}.",
        by,
    )
    _letter(case, Letter.Kind.RESALE_RELEASED, by=by, released_on=letter_date(on))
    return case


__all__ = [
    "purchaser_save",
    "resale_nominate",
    "resale_nominate_problems",
    "resale_nomination_proceed",
    "resale_nomination_withdraw",
    "resale_not_eligible_tell",
    "resale_notice_problems",
    "resale_notice_record",
    "resale_release",
    "resale_release_problems",
    "resale_sold",
    "resale_valuation_record",
]
