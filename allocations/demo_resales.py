"""The demo's low-cost home ownership resale (issue 14): a shared-ownership flat whose seller
gave notice 20 days ago, valued, with three people on the register of eligible purchasers
(one not eligible, with the reasons shown on the case) and one nominated: the 8-week window
has 36 days left. Each step has sent its letters (drawn by the worker once `make run` is up):
the notice and the valuation to the seller, the nomination to the seller and to Priya Shah,
and Ellen Marsh, who asked about the flat, told why she is not eligible."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allocations.models import ResaleCase
from allocations.services import resales
from config.demo import Demo, DemoStep

DEMO_RESALE_ADDRESS = "Flat 4, Sandgate Court, Cheriton"


def resales_load(demo: Demo) -> None:
    officer = demo.user("officer")
    today = timezone.localdate()
    notice_on = today - timedelta(days=20)
    buyers = [
        resales.purchaser_save(
            name=name,
            household_income=Decimal(income),
            local_connection=connected,
            parish=parish,
            first_time_buyer=first_time,
            address=address,
            by=officer,
        )
        for name, income, connected, parish, first_time, address in (
            ("Priya Shah", 41000, True, "Cheriton", True, "22 Church Road\nCheriton\nCT19 5AA"),
            ("Tom Baker", 52000, True, "Cheriton", False, "7 Mill Lane\nCheriton\nCT19 4BB"),
            ("Ellen Marsh", 96000, False, "", True, "3 Marine Parade\nHythe\nCT21 6AA"),
        )
    ]
    case = resales.resale_notice_record(
        product=ResaleCase.Product.SHARED_OWNERSHIP,
        address=DEMO_RESALE_ADDRESS,
        seller_name="Dan Green",
        notice_on=notice_on,
        discount_percent=Decimal(0),
        local_connection_parish="Cheriton",
        income_cap=Decimal(80000),
        first_time_buyers_only=False,
        price_cap=None,
        window_weeks=8,
        valuation_valid_weeks=12,
        by=officer,
    )
    case = resales.resale_valuation_record(
        case=case, amount=Decimal(95000), valued_on=notice_on + timedelta(days=6), by=officer
    )
    resales.resale_nominate(
        case=case, purchaser=buyers[0], on=notice_on + timedelta(days=10), by=officer
    )
    resales.resale_not_eligible_tell(
        case=case, purchaser=buyers[2], on=notice_on + timedelta(days=8), by=officer
    )


RESALES = DemoStep(
    loaded=lambda: ResaleCase.objects.filter(address=DEMO_RESALE_ADDRESS).exists(),
    load=resales_load,
)
