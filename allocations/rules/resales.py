"""Low-cost home ownership resales, the pure rules: who may buy under the planning agreement,
the nomination window's clock and how long a valuation holds.

A shared ownership, discount market sale or First Homes home is sold on under its planning
(section 106) agreement: the council may nominate eligible buyers for a window (usually 8
weeks from the seller's notice); only after it, with no nominee proceeding, may the seller sell
on the open market. The valuation the price is set from is good for about 12 weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

DEFAULT_WINDOW_WEEKS = 8
DEFAULT_VALUATION_WEEKS = 12
# The valuation work item falls due this many days before the valuation expires, so a new one
# can be instructed in time.
VALUATION_WARNING_DAYS = 14


@dataclass(frozen=True)
class AgreementTerms:
    """What the planning agreement asks of a buyer, and of the price."""

    product: str
    discount_percent: Decimal
    local_connection_parish: str = ""  # "" when the agreement asks no local connection
    income_cap: Decimal | None = None  # the household income a buyer must not exceed
    first_time_buyers_only: bool = False
    price_cap: Decimal | None = None  # First Homes: the price after the discount


@dataclass(frozen=True)
class Buyer:
    name: str
    household_income: Decimal
    local_connection: bool
    parish: str
    first_time_buyer: bool


def money(amount: Decimal) -> str:
    return f"£{amount:,.0f}"


def buyer_not_eligible(terms: AgreementTerms, buyer: Buyer) -> list[str]:
    """Every reason the buyer is not eligible under the agreement (none: eligible)."""
    reasons: list[str] = []
    parish = terms.local_connection_parish.strip()
    if parish:
        if not buyer.local_connection:
            reasons.append(f"No local connection: the agreement asks for one to {parish}")
        elif buyer.parish.strip().casefold() != parish.casefold():
            reasons.append(
                f"Local connection is to {buyer.parish or 'no parish recorded'}, "
                f"not {parish} as the agreement asks"
            )
    if terms.income_cap is not None and buyer.household_income > terms.income_cap:
        reasons.append(
            f"Household income {money(buyer.household_income)} is over the agreement's cap of "
            f"{money(terms.income_cap)}"
        )
    if terms.first_time_buyers_only and not buyer.first_time_buyer:
        reasons.append("Not a first-time buyer: the agreement is for first-time buyers only")
    return reasons


def discounted_price(valuation: Decimal, discount_percent: Decimal) -> Decimal:
    """The price a buyer pays: the open-market valuation less the agreement's discount."""
    return (valuation * (Decimal(100) - discount_percent) / Decimal(100)).quantize(Decimal("1"))


def asking_price(terms: AgreementTerms, valuation: Decimal) -> Decimal:
    """The price a nominated buyer is asked to pay, the one every letter and page gives: the
    price after the discount, held to the First Homes price cap where the agreement sets one
    (a First Home may not be sold above its cap, whatever the valuation)."""
    price = discounted_price(valuation, terms.discount_percent)
    if terms.price_cap is not None and price > terms.price_cap:
        return terms.price_cap
    return price


def price_cap_problem(terms: AgreementTerms, valuation: Decimal | None) -> str:
    """First Homes: the price after the discount must not exceed the cap."""
    if terms.price_cap is None or valuation is None:
        return ""
    price = discounted_price(valuation, terms.discount_percent)
    if price > terms.price_cap:
        return (
            f"The price after the {terms.discount_percent}% discount is {money(price)}, over the "
            f"price cap of {money(terms.price_cap)}: the sale price must be capped"
        )
    return ""


def window_ends(notice_on: date, weeks: int) -> date:
    """The last day of the nomination window that the seller's notice opened."""
    return notice_on + timedelta(weeks=weeks)


def days_left(ends: date, today: date) -> int:
    """Days left in a window ending on `ends` (0 on its last day and after)."""
    return max((ends - today).days, 0)


def valuation_expires(valued_on: date, weeks: int) -> date:
    return valued_on + timedelta(weeks=weeks)
