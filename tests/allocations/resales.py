"""Resale cases and purchasers for the tests, made through the services."""

from datetime import date, timedelta
from decimal import Decimal

from allocations.models import ResaleCase
from allocations.services import resales


def purchaser(by, **fields):
    values = {
        "name": "Priya Shah",
        "household_income": Decimal("42000"),
        "local_connection": True,
        "parish": "Cheriton",
        "first_time_buyer": True,
    } | fields
    return resales.purchaser_save(by=by, **values)


def resale_case(by, *, notice_on: date, valued: bool = True, **fields) -> ResaleCase:
    values = {
        "product": ResaleCase.Product.SHARED_OWNERSHIP,
        "address": "12 Harbour Way, Folkestone",
        "seller_name": "Dan Green",
        "notice_on": notice_on,
        "discount_percent": Decimal("0"),
        "local_connection_parish": "Cheriton",
        "income_cap": Decimal("80000"),
        "first_time_buyers_only": False,
        "price_cap": None,
        "window_weeks": 8,
        "valuation_valid_weeks": 12,
    } | fields
    case = resales.resale_notice_record(by=by, **values)
    if valued:
        case = resales.resale_valuation_record(
            case=case, amount=Decimal("180000"), valued_on=notice_on + timedelta(days=3), by=by
        )
    return case
