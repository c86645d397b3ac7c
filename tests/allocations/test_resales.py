"""Low-cost home ownership resales (issue 14): buyers checked against the planning agreement
with every reason, the nomination window's clock, the release refused before the window ends,
and the valuation's expiry in the officers' queue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations.models import ResaleCase, ResaleNomination, ResaleStep
from allocations.rules import resales as rules
from allocations.services import resales
from projects.models import WorkItem
from tests.allocations.resales import purchaser, resale_case

pytestmark = pytest.mark.django_db

NOTICE = date(2026, 10, 1)


def test_a_buyer_is_told_every_reason_they_are_not_eligible():
    terms = rules.AgreementTerms(
        product="first_homes",
        discount_percent=Decimal(30),
        local_connection_parish="Cheriton",
        income_cap=Decimal(80000),
        first_time_buyers_only=True,
        price_cap=Decimal(250000),
    )
    buyer = rules.Buyer(
        name="Sam Lee",
        household_income=Decimal(95000),
        local_connection=True,
        parish="Hythe",
        first_time_buyer=False,
    )
    assert rules.buyer_not_eligible(terms, buyer) == [
        "Local connection is to Hythe, not Cheriton as the agreement asks",
        "Household income £95,000 is over the agreement's cap of £80,000",
        "Not a first-time buyer: the agreement is for first-time buyers only",
    ]


def test_first_homes_price_over_the_cap_after_the_discount_is_named():
    terms = rules.AgreementTerms(
        product="first_homes", discount_percent=Decimal(30), price_cap=Decimal(250000)
    )
    assert "over the price cap of £250,000" in rules.price_cap_problem(terms, Decimal(400000))
    assert rules.price_cap_problem(terms, Decimal(350000)) == ""  # £245,000 after 30%


def test_nominating_an_ineligible_buyer_is_refused_with_each_reason(officer):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, name="Sam Lee", household_income=Decimal(95000), parish="Hythe")
    with pytest.raises(ValidationError) as refused:
        resales.resale_nominate(case=case, purchaser=buyer, on=NOTICE + timedelta(7), by=officer)
    assert refused.value.messages == [
        "Sam Lee is not eligible: Local connection is to Hythe, not Cheriton as the agreement asks",
        "Sam Lee is not eligible: Household income £95,000 is over the agreement's cap of £80,000",
    ]
    assert not ResaleNomination.objects.exists()


def test_an_eligible_buyer_is_nominated_and_the_step_recorded(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    assert nomination.status == ResaleNomination.Status.NOMINATED
    assert list(case.steps.values_list("kind", flat=True)) == [
        ResaleStep.Kind.NOTICE,
        ResaleStep.Kind.VALUATION,
        ResaleStep.Kind.NOMINATION,
    ]


def test_nominating_without_a_valuation_or_after_the_window_is_refused(officer):
    case = resale_case(officer, notice_on=NOTICE, valued=False)
    with pytest.raises(ValidationError) as refused:
        resales.resale_nominate(
            case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(weeks=9), by=officer
        )
    assert refused.value.messages == [
        "The nomination window ended on 26 November 2026",
        "Record the valuation before nominating a buyer",
    ]


def test_the_window_is_8_weeks_unless_the_agreement_says_otherwise(officer):
    assert resale_case(officer, notice_on=NOTICE).window_ends == date(2026, 11, 26)
    other = resale_case(officer, notice_on=NOTICE, window_weeks=6, address="5 Quay Street")
    assert other.window_ends == date(2026, 11, 12)


def test_release_before_the_window_ends_is_refused_with_the_days_left(officer):
    case = resale_case(officer, notice_on=NOTICE)
    with pytest.raises(ValidationError) as refused:
        resales.resale_release(case=case, on=date(2026, 11, 16), by=officer)
    assert refused.value.message_dict["on"] == [
        "The nomination window runs until 26 November 2026 (10 days left): the seller may sell "
        "on the open market only after it ends with no nominee proceeding"
    ]
    case.refresh_from_db()
    assert case.status == ResaleCase.Status.OPEN


def test_release_after_the_window_with_no_one_proceeding_records_the_date(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    resales.resale_nomination_withdraw(
        nomination=nomination, on=NOTICE + timedelta(20), reason="Mortgage refused", by=officer
    )
    case = resales.resale_release(case=case, on=date(2026, 11, 27), by=officer)
    assert (case.status, case.closed_on) == (ResaleCase.Status.RELEASED, date(2026, 11, 27))
    assert case.steps.last().kind == ResaleStep.Kind.RELEASE


def test_a_buyer_proceeding_stops_the_release(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    resales.resale_nomination_proceed(nomination=nomination, on=NOTICE + timedelta(9), by=officer)
    with pytest.raises(ValidationError, match="A nominated buyer is proceeding"):
        resales.resale_release(case=case, on=date(2026, 12, 1), by=officer)


@time_machine.travel(date(2026, 12, 10), tick=False)
def test_a_valuation_puts_work_in_the_queue_before_it_expires(officer):
    case = resale_case(officer, notice_on=NOTICE)  # valued on 4 October, valid 12 weeks
    (item,) = WorkItem.objects.filter(kind="resale_valuation", status=WorkItem.Status.OPEN)
    assert case.valuation_expires == date(2026, 12, 27)
    assert item.due_on == date(2026, 12, 13)
    # A new valuation replaces the old one's work with its own.
    resales.resale_valuation_record(
        case=case, amount=Decimal(185000), valued_on=date(2026, 12, 10), by=officer
    )
    (item,) = WorkItem.objects.filter(kind="resale_valuation", status=WorkItem.Status.OPEN)
    assert item.due_on == date(2027, 2, 18)


def test_the_notice_names_every_missing_term_at_once(officer):
    with pytest.raises(ValidationError) as refused:
        resales.resale_notice_record(
            by=officer,
            product=ResaleCase.Product.FIRST_HOMES,
            address="",
            seller_name="Dan Green",
            notice_on=NOTICE,
            discount_percent=Decimal(0),
            local_connection_parish="",
            income_cap=None,
            first_time_buyers_only=True,
            price_cap=None,
            window_weeks=8,
            valuation_valid_weeks=12,
        )
    assert set(refused.value.message_dict) == {
        "address",
        "price_cap",
        "discount_percent",
        "local_connection_parish",
    }


# --- Pages ---------------------------------------------------------------------------------


@time_machine.travel(date(2026, 10, 20), tick=False)
def test_the_case_page_shows_the_days_left_in_the_window(client, officer):
    case = resale_case(officer, notice_on=NOTICE)
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "37 days left in the nomination window" in page
    assert "Nominate a buyer" in page
    listing = client.get(reverse("allocations:resale-list"), {"product": "shared_ownership"})
    assert "37 (ends 26 November 2026)" in listing.content.decode()


def test_the_list_filters_by_status_and_searches(client, officer):
    resale_case(officer, notice_on=NOTICE, address="1 Quay Street")
    client.force_login(officer)
    assert (
        "1 Quay Street"
        in client.get(reverse("allocations:resale-list"), {"q": "quay"}).content.decode()
    )
    empty = client.get(reverse("allocations:resale-list"), {"status": "sold"}).content.decode()
    assert "No resale cases match" in empty


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_the_release_page_refuses_an_early_release_and_keeps_the_date(client, officer):
    case = resale_case(officer, notice_on=NOTICE)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:resale-release", args=[case.pk]),
        {"on_0": "16", "on_1": "11", "on_2": "2026"},
    )
    assert response.status_code == 400
    assert "10 days left" in response.content.decode()
    assert 'value="16"' in response.content.decode()


def test_the_nomination_page_lists_every_reason(client, officer):
    case = resale_case(officer, notice_on=timezone.localdate() - timedelta(days=5))
    buyer = purchaser(officer, name="Sam Lee", local_connection=False, first_time_buyer=False)
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        reverse("allocations:resale-nominate", args=[case.pk]),
        {"purchaser": buyer.pk, "on_0": today.day, "on_1": today.month, "on_2": today.year},
    )
    assert response.status_code == 400
    assert "No local connection: the agreement asks for one to Cheriton" in (
        response.content.decode()
    )


def test_a_notice_recorded_through_the_form_opens_the_case(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:resale-create"),
        {
            "product": "shared_ownership",
            "address": "3 Mill Row",
            "seller_name": "Ann Cole",
            "notice_on_0": "1",
            "notice_on_1": "10",
            "notice_on_2": "2026",
            "discount_percent": "0",
            "local_connection_parish": "Cheriton",
            "income_cap": "",
            "price_cap": "",
            "window_weeks": "8",
            "valuation_valid_weeks": "12",
        },
    )
    case = ResaleCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()


def test_auditors_read_resales_but_change_nothing(client, auditor, officer):
    case = resale_case(officer, notice_on=NOTICE)
    client.force_login(auditor)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("allocations:purchaser-list")).status_code == 200
    assert client.get(reverse("allocations:resale-valuation", args=[case.pk])).status_code == 403


def test_a_purchaser_with_a_connection_needs_its_parish(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:purchaser-create"),
        {"name": "Jo Hill", "household_income": "30000", "local_connection": "on", "parish": ""},
    )
    assert response.status_code == 400
    assert "Enter the parish of the local connection" in response.content.decode()


def test_a_search_with_control_characters_is_not_a_server_error(client, officer):
    client.force_login(officer)
    assert client.get(reverse("allocations:resale-list"), {"q": "a\u0085b"}).status_code < 500
    assert client.get(reverse("allocations:purchaser-list"), {"q": "a\x00b"}).status_code < 500


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_a_release_dated_after_the_window_is_refused_while_the_window_still_runs(officer):
    case = resale_case(officer, notice_on=NOTICE)  # the window runs until 26 November
    with pytest.raises(ValidationError) as refused:
        resales.resale_release(case=case, on=date(2026, 11, 27), by=officer)
    assert refused.value.message_dict["on"] == [
        "The date of the release must be today or in the past"
    ]
    case.refresh_from_db()
    assert case.status == ResaleCase.Status.OPEN
    assert not case.steps.filter(kind=ResaleStep.Kind.RELEASE).exists()


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_the_release_page_refuses_a_date_to_come_and_keeps_it(client, officer):
    case = resale_case(officer, notice_on=NOTICE)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:resale-release", args=[case.pk]),
        {"on_0": "27", "on_1": "11", "on_2": "2026"},
    )
    assert response.status_code == 400
    assert "The date of the release must be today or in the past" in response.content.decode()
    assert 'value="27"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == ResaleCase.Status.OPEN


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_a_valuation_dated_ahead_is_refused_so_it_cannot_stay_valid_longer(officer):
    case = resale_case(officer, notice_on=NOTICE)
    with pytest.raises(ValidationError) as refused:
        resales.resale_valuation_record(
            case=case, amount=Decimal("190000"), valued_on=date(2027, 11, 10), by=officer
        )
    assert refused.value.message_dict["valued_on"] == [
        "The date of the valuation must be today or in the past"
    ]
    case.refresh_from_db()
    assert case.valued_on == date(2026, 10, 4)


@time_machine.travel(date(2026, 11, 16), tick=False)
def test_a_sale_or_a_nominee_step_dated_ahead_is_refused(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    with pytest.raises(ValidationError, match="must be today or in the past"):
        resales.resale_nominate(
            case=case,
            purchaser=purchaser(officer, name="Tom Baker"),
            on=date(2026, 11, 20),
            by=officer,
        )
    with pytest.raises(ValidationError, match="must be today or in the past"):
        resales.resale_nomination_proceed(nomination=nomination, on=date(2026, 11, 20), by=officer)
    resales.resale_nomination_proceed(nomination=nomination, on=date(2026, 11, 16), by=officer)
    with pytest.raises(ValidationError) as refused:
        resales.resale_sold(case=case, on=date(2027, 1, 15), by=officer)
    assert refused.value.message_dict["on"] == [
        "The date the sale completed must be today or in the past"
    ]
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (ResaleCase.Status.PROCEEDING, None)


def test_proceeding_withdrawing_or_a_sale_dated_out_of_order_is_refused_on_the_date(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nominated_on = NOTICE + timedelta(7)
    first = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=nominated_on, by=officer
    )
    with pytest.raises(ValidationError) as refused:
        resales.resale_nomination_proceed(nomination=first, on=NOTICE + timedelta(5), by=officer)
    assert refused.value.message_dict["on"] == [
        "The buyer cannot proceed before they were nominated on 8 October 2026"
    ]
    with pytest.raises(ValidationError) as refused:
        resales.resale_nomination_withdraw(
            nomination=first, on=NOTICE + timedelta(5), reason="Moved away", by=officer
        )
    assert refused.value.message_dict["on"] == [
        "The buyer cannot withdraw before they were nominated on 8 October 2026"
    ]
    resales.resale_nomination_proceed(nomination=first, on=NOTICE + timedelta(14), by=officer)
    with pytest.raises(ValidationError) as refused:
        resales.resale_sold(case=case, on=NOTICE + timedelta(10), by=officer)
    assert refused.value.message_dict["on"] == [
        "The sale cannot complete before the buyer said they were proceeding on 15 October 2026"
    ]
    first.refresh_from_db()
    case.refresh_from_db()
    assert first.status == ResaleNomination.Status.PROCEEDING
    assert (case.status, case.closed_on) == (ResaleCase.Status.PROCEEDING, None)


def test_the_proceed_page_refuses_a_date_before_the_nomination_and_keeps_it(client, officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:resale-nomination-proceed", args=[nomination.pk]),
        {"on_0": "2", "on_1": "10", "on_2": "2026"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The buyer cannot proceed before they were nominated on 8 October 2026" in page
    assert 'value="2026"' in page


def test_a_release_ends_a_nomination_still_open_with_the_reason(officer):
    case = resale_case(officer, notice_on=NOTICE)
    nomination = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    resales.resale_release(case=case, on=date(2026, 11, 27), by=officer)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_on) == (
        ResaleNomination.Status.WITHDRAWN,
        date(2026, 11, 27),
    )
    assert "released to the open market on 27 November 2026" in nomination.withdrawal_reason
    ended = case.steps.get(kind=ResaleStep.Kind.WITHDRAWAL)
    assert ended.sent_to == "Priya Shah" and "A letter tells the buyer" in ended.communication


def test_a_nomination_dated_before_the_valuation_that_sets_its_price_is_refused(officer):
    # Valued three days after the notice: the buyer's letter gives the price from it.
    case = resale_case(officer, notice_on=NOTICE)
    with pytest.raises(ValidationError) as refused:
        resales.resale_nominate(
            case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(1), by=officer
        )
    assert refused.value.messages == [
        "A nomination cannot be before the valuation of 4 October 2026 that sets the price"
    ]
    assert not case.nominations.exists()


NOTICE_FORM = {
    "product": "shared_ownership",
    "address": "3 Mill Row, Cheriton",
    "seller_name": "Ann Cole",
    "notice_on_0": "1",
    "notice_on_1": "10",
    "notice_on_2": "2026",
    "discount_percent": "0",
    "local_connection_parish": "Cheriton",
    "income_cap": "",
    "price_cap": "",
    "window_weeks": "8",
    "valuation_valid_weeks": "12",
}


def test_the_same_notice_sent_twice_opens_one_case_and_the_second_keeps_what_was_typed(
    client, officer
):
    client.force_login(officer)
    url = reverse("allocations:resale-create")
    assert client.post(url, NOTICE_FORM).status_code == 302
    case = ResaleCase.objects.get()
    # Sent again (spelt a little differently): refused, naming the case, nothing sent twice.
    again = client.post(url, NOTICE_FORM | {"address": "3 mill row cheriton "})
    assert again.status_code == 400
    page = again.content.decode()
    assert (
        f"3 Mill Row, Cheriton already has a resale case (RESALE-{case.pk:06d}, notice "
        "received on 1 October 2026, nomination window open)" in page
    )
    assert "Ann Cole" in page and 'value="3 mill row cheriton "' in page
    assert ResaleCase.objects.count() == 1 and case.letters.count() == 1
    # Once the first case is closed, the home's next sale opens a new one.
    ResaleCase.objects.filter(pk=case.pk).update(status=ResaleCase.Status.SOLD)
    assert client.post(url, NOTICE_FORM).status_code == 302
    assert ResaleCase.objects.count() == 2


def test_two_officers_recording_one_notice_at_once_open_one_case(transactional_db, officer):
    from django.db import connection

    from tests.races import saved_by_someone_else_meanwhile

    others: list[object] = []

    def other_officer() -> None:
        try:
            others.append(resale_case(officer, notice_on=NOTICE, valued=False))
        except Exception as error:  # reported by the assertions below
            others.append(error)
        finally:
            connection.close()

    with saved_by_someone_else_meanwhile(ResaleCase, other_officer):
        mine = resale_case(officer, notice_on=NOTICE, valued=False)
    (refusal,) = others
    assert isinstance(refusal, ValidationError), repr(refusal)
    assert "already has a resale case" in refusal.message_dict["address"][0]
    assert ResaleCase.objects.get() == mine


PURCHASER_FORM = {
    "name": "Jo Hill",
    "household_income": "30000",
    "first_time_buyer": "on",
    "address": "4 Fern Close, Cheriton",
}


def test_add_to_the_register_pressed_twice_adds_the_buyer_once(client, officer):
    from allocations.models import Purchaser

    client.force_login(officer)
    url = reverse("allocations:purchaser-create")
    assert client.post(url, PURCHASER_FORM).status_code == 302
    first = Purchaser.objects.get()
    again = client.post(
        url, PURCHASER_FORM | {"name": " jo  hill", "address": "4 fern close cheriton"}
    )
    assert again.status_code == 400
    page = again.content.decode()
    assert f"Jo Hill is already on the register (entry {first.pk}, added on " in page
    assert "at 4 Fern Close, Cheriton): change that entry instead" in page
    assert 'value="4 fern close cheriton"' in page or "4 fern close cheriton</textarea>" in page
    assert Purchaser.objects.count() == 1
    # Someone else of the same name (at another address) is added; an entry changed keeps its
    # own name and address without being refused as a second entry for itself.
    other = client.post(url, PURCHASER_FORM | {"address": "9 Hill Road, Hythe"})
    assert other.status_code == 302 and Purchaser.objects.count() == 2
    edit = reverse("allocations:purchaser-edit", args=[first.pk])
    assert client.post(edit, PURCHASER_FORM | {"household_income": "31000"}).status_code == 302
    first.refresh_from_db()
    assert first.household_income == Decimal(31000)


def test_two_officers_adding_one_buyer_at_once_add_one_entry(transactional_db, officer):
    from django.db import connection

    from allocations.models import Purchaser
    from tests.races import saved_by_someone_else_meanwhile

    others: list[object] = []

    def other_officer() -> None:
        try:
            others.append(purchaser(officer))
        except Exception as error:  # reported by the assertions below
            others.append(error)
        finally:
            connection.close()

    with saved_by_someone_else_meanwhile(Purchaser, other_officer):
        mine = purchaser(officer)
    (refusal,) = others
    assert isinstance(refusal, ValidationError), repr(refusal)
    assert f"(entry {mine.pk}, added on" in refusal.message_dict["name"][0]
    assert Purchaser.objects.get() == mine


def test_the_release_page_gives_the_windows_end_in_words(client, officer):
    case = resale_case(officer, notice_on=NOTICE)  # an 8-week window: ends 26 November 2026
    client.force_login(officer)
    page = client.get(reverse("allocations:resale-release", args=[case.pk])).content.decode()
    assert "(the window ends on 26 November 2026)" in page
    assert "26/11/2026" not in page


def test_the_case_page_pages_through_the_whole_register_and_searches_it(client, officer):
    case = resale_case(officer, notice_on=timezone.localdate() - timedelta(days=10))
    buyers = [purchaser(officer, name=f"Buyer {n:02d} Walsh") for n in range(30)]
    last = purchaser(officer, name="Zara Quinn", parish="Hythe")
    client.force_login(officer)
    url = reverse("allocations:resale-detail", args=[case.pk])
    first_page = client.get(url).content.decode()
    assert "Buyer 00 Walsh" in first_page and "Zara Quinn" not in first_page
    assert "Showing 1 to 25 of 31 results" in first_page
    second_page = client.get(url, {"page": 2}).content.decode()
    assert "Zara Quinn" in second_page and "Buyer 00 Walsh" not in second_page
    # Searched by name, by parish or by register entry number, whatever page it is on.
    for query in ("quinn", "Hythe", str(last.pk)):
        found = client.get(url, {"q": query}).content.decode()
        assert "Zara Quinn" in found and buyers[0].name not in found
    nothing = client.get(url, {"q": "Nobody"})
    assert nothing.status_code == 200
    assert "No one on the register matches “Nobody”" in nothing.content.decode()
