"""Resale letters (issue 14): each step of a low-cost home ownership resale sends its letter
in the council's wording, to the seller at the home or to the buyer at their address on the
register, listed on the case page with a download only those who see resales may use."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations.documents import letter_title
from allocations.models import Letter, ResaleNomination, ResaleStep
from allocations.services import resales
from allocations.services.sending import letter_send
from config.kernel.documents import document_render
from tests.allocations.resales import purchaser, resale_case

pytestmark = pytest.mark.django_db

NOTICE = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _kinds(case) -> list[tuple[str, str]]:
    return [(letter.kind, letter.addressee) for letter in case.letters.order_by("pk")]


def test_the_notice_and_the_valuation_each_send_the_seller_a_letter(officer):
    case = resale_case(officer, notice_on=NOTICE, discount_percent=Decimal(25))
    assert _kinds(case) == [
        (Letter.Kind.RESALE_NOTICE, "Dan Green"),
        (Letter.Kind.RESALE_VALUATION, "Dan Green"),
    ]
    notice, valuation = case.letters.order_by("pk")
    assert notice.context["window_ends"] == "26 November 2026"  # 8 weeks from the notice
    assert notice.context["address"] == ["12 Harbour Way", "Folkestone"]
    assert notice.application is None and notice.resale_case == case
    assert notice.channel == Letter.Channel.POST
    assert notice.reference == f"RESALE-{case.pk:06d}"
    assert valuation.context["valid_until"] == "27 December 2026"  # 12 weeks from valued_on
    assert valuation.context["price"] == "£135,000"
    assert valuation.wording.kind == Letter.Kind.RESALE_VALUATION
    assert letter_title(notice) == "Your notice to sell 12 Harbour Way, Folkestone"


def test_a_nomination_writes_to_the_seller_and_to_the_buyer(officer):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, address="3 Mill Lane\nCheriton\nCT19 4AB")
    resales.resale_nominate(case=case, purchaser=buyer, on=NOTICE + timedelta(7), by=officer)
    to_seller, to_buyer = case.letters.order_by("pk")[2:]
    assert (to_seller.kind, to_seller.addressee) == (Letter.Kind.RESALE_NOMINATED, "Dan Green")
    assert to_seller.context["buyer_name"] == "Priya Shah"
    assert (to_buyer.kind, to_buyer.addressee) == (Letter.Kind.RESALE_NOMINEE, "Priya Shah")
    assert to_buyer.context["address"] == ["3 Mill Lane", "Cheriton", "CT19 4AB"]
    assert to_buyer.context["price"] == "£180,000"


def test_first_homes_letters_and_the_case_page_give_the_price_held_to_the_cap(client, officer):
    # £400,000 less 30% is £280,000, over the agreement's £250,000 cap: no letter may ask more.
    case = resale_case(
        officer,
        notice_on=NOTICE,
        valued=False,
        product="first_homes",
        discount_percent=Decimal(30),
        price_cap=Decimal(250000),
    )
    case = resales.resale_valuation_record(
        case=case, amount=Decimal(400000), valued_on=NOTICE + timedelta(3), by=officer
    )
    resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    valuation, to_seller, to_buyer = case.letters.order_by("pk")[1:]
    assert [letter.kind for letter in (valuation, to_seller, to_buyer)] == [
        Letter.Kind.RESALE_VALUATION,
        Letter.Kind.RESALE_NOMINATED,
        Letter.Kind.RESALE_NOMINEE,
    ]
    assert [letter.context["price"] for letter in (valuation, to_seller, to_buyer)] == [
        "£250,000"
    ] * 3
    assert case.steps.get(kind=ResaleStep.Kind.NOMINATION).communication.endswith(
        "nominated to buy at £250,000."
    )
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Price to a nominated buyer" in page and "£250,000 (held to the price cap)" in page


def test_a_buyer_found_not_eligible_is_told_every_reason(officer):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, name="Sam Lee", household_income=Decimal(95000), parish="Hythe")
    step = resales.resale_not_eligible_tell(
        case=case, purchaser=buyer, on=NOTICE + timedelta(3), by=officer
    )
    assert step.kind == ResaleStep.Kind.NOT_ELIGIBLE and step.sent_to == "Sam Lee"
    letter = case.letters.get(kind=Letter.Kind.RESALE_NOT_ELIGIBLE)
    assert letter.context["reasons"] == [
        "Local connection is to Hythe, not Cheriton as the agreement asks",
        "Household income £95,000 is over the agreement's cap of £80,000",
    ]
    # No address on the register: the officer hands it over.
    assert letter.channel == Letter.Channel.BY_HAND
    assert step.history.first().history_user == officer


def test_an_eligible_buyer_is_not_sent_a_not_eligible_letter(officer):
    case = resale_case(officer, notice_on=NOTICE)
    with pytest.raises(ValidationError, match="is eligible for this home"):
        resales.resale_not_eligible_tell(
            case=case, purchaser=purchaser(officer), on=NOTICE, by=officer
        )
    assert not case.letters.filter(kind=Letter.Kind.RESALE_NOT_ELIGIBLE).exists()


def test_the_release_tells_the_seller_the_date_they_may_sell_on_the_open_market(officer):
    case = resale_case(officer, notice_on=NOTICE)
    resales.resale_release(case=case, on=case.window_ends + timedelta(1), by=officer)
    letter = case.letters.get(kind=Letter.Kind.RESALE_RELEASED)
    assert letter.context["released_on"] == "27 November 2026"
    assert letter.addressee == "Dan Green"


def test_a_resale_letter_is_drawn_and_posted_to_the_address_frozen_in_it(officer):
    case = resale_case(officer, notice_on=NOTICE, valued=False)
    letter = case.letters.get()
    document_render(model="allocations.Letter", pk=letter.pk)
    letter.refresh_from_db()
    assert letter.file.read().startswith(b"%PDF-")
    letter_send(letter_id=letter.pk, by=officer)
    letter.refresh_from_db()
    assert letter.delivery in (Letter.Delivery.IN_POST_ROOM, Letter.Delivery.POSTED)
    assert letter.sent_to == "12 Harbour Way, Folkestone"


def test_a_resale_letter_with_no_address_goes_to_the_officers_queue_to_hand_over(officer):
    from projects.models import WorkItem

    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, name="Sam Lee", household_income=Decimal(95000))
    resales.resale_not_eligible_tell(case=case, purchaser=buyer, on=NOTICE, by=officer)
    letter = case.letters.get(kind=Letter.Kind.RESALE_NOT_ELIGIBLE)
    document_render(model="allocations.Letter", pk=letter.pk)
    assert letter_send(letter_id=letter.pk, by=officer) == Letter.Delivery.TO_HAND_OVER
    item = WorkItem.objects.get(kind="letter_hand_over")
    assert "Sam Lee" in item.title and f"RESALE-{case.pk:06d}" in item.title


def test_the_case_page_lists_its_letters_and_only_resale_readers_download_them(
    client, officer, business_support
):
    case = resale_case(officer, notice_on=NOTICE, valued=False)
    letter = case.letters.get()
    document_render(model="allocations.Letter", pk=letter.pk)
    url = reverse("allocations:resale-letter", args=[letter.pk])
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Resale: notice received to Dan Green" in page and url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert f"RESALE-{case.pk:06d}-resale_notice-letter.pdf" in response["Content-Disposition"]
    # An application's letter is not served here, nor a resale's from the application path.
    assert client.get(reverse("allocations:letter-download", args=[letter.pk])).status_code == 404
    client.force_login(business_support)
    assert client.get(url).status_code == 403


def test_the_not_eligible_form_keeps_what_was_typed_and_sends_the_letter(client, officer):
    case = resale_case(officer, notice_on=NOTICE)
    eligible = purchaser(officer)
    not_eligible = purchaser(officer, name="Sam Lee", household_income=Decimal(95000))
    url = reverse("allocations:resale-not-eligible", args=[case.pk])
    client.force_login(officer)
    day = NOTICE + timedelta(2)
    date_fields = {"on_0": day.day, "on_1": day.month, "on_2": day.year}
    refused = client.post(url, {"purchaser": eligible.pk, **date_fields})
    assert refused.status_code == 400
    assert "is eligible for this home" in refused.content.decode()
    assert f'value="{day.day}"' in refused.content.decode()
    response = client.post(url, {"purchaser": not_eligible.pk, **date_fields})
    assert response.status_code == 302
    assert case.letters.filter(kind=Letter.Kind.RESALE_NOT_ELIGIBLE).count() == 1


def test_a_resale_and_a_purchaser_each_have_a_history_page(client, officer, auditor):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer)
    client.force_login(auditor)
    page = client.get(reverse("allocations:resale-history", args=[case.pk])).content.decode()
    assert "Seller&#x27;s notice received" in page and "Valuation of £180,000" in page
    page = client.get(reverse("allocations:purchaser-history", args=[buyer.pk])).content.decode()
    assert "Purchaser registered" in page
    assert "History of this resale" in client.get(case.get_absolute_url()).content.decode()


def test_a_release_tells_a_buyer_still_nominated_by_letter_that_it_ended(officer):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, address="3 Mill Lane\nCheriton\nCT19 4AB")
    resales.resale_nominate(case=case, purchaser=buyer, on=NOTICE + timedelta(7), by=officer)
    resales.resale_release(case=case, on=date(2026, 11, 27), by=officer)
    letter = case.letters.get(kind=Letter.Kind.RESALE_ENDED)
    assert letter.addressee == "Priya Shah"
    assert letter.context["address"] == ["3 Mill Lane", "Cheriton", "CT19 4AB"]
    assert letter.context["purchaser_id"] == buyer.pk  # the buyer's, for their access request
    assert letter.context["ended_on"] == "27 November 2026"
    assert (
        "released for sale on the open market on 27 November 2026"
        in (letter.context["ended_because"])
    )
    assert letter.wording.kind == Letter.Kind.RESALE_ENDED
    document_render(model="allocations.Letter", pk=letter.pk)
    letter.refresh_from_db()
    assert letter.file.read().startswith(b"%PDF-")
    assert letter_title(letter) == "12 Harbour Way, Folkestone: your nomination has ended"


def test_a_sale_ends_the_other_nominations_and_tells_those_buyers(officer):
    case = resale_case(officer, notice_on=NOTICE)
    first = resales.resale_nominate(
        case=case, purchaser=purchaser(officer), on=NOTICE + timedelta(7), by=officer
    )
    other = resales.resale_nominate(
        case=case,
        purchaser=purchaser(officer, name="Tom Hart", address="9 Quay Street, Hythe"),
        on=NOTICE + timedelta(8),
        by=officer,
    )
    resales.resale_nomination_proceed(nomination=first, on=NOTICE + timedelta(10), by=officer)
    resales.resale_sold(case=case, on=NOTICE + timedelta(40), by=officer)
    other.refresh_from_db()
    # Not left "Nominated" to a sold home, where no one could withdraw it any more.
    assert (other.status, other.decided_on) == (
        ResaleNomination.Status.WITHDRAWN,
        NOTICE + timedelta(40),
    )
    assert "sold to another nominated buyer on 10 November 2026" in other.withdrawal_reason
    assert other.history.first().history_user == officer
    letter = case.letters.get(kind=Letter.Kind.RESALE_ENDED)
    assert letter.addressee == "Tom Hart"
    # The letter does not name the buyer who bought the home.
    assert "Priya" not in str(letter.context["ended_because"])
    step = case.steps.filter(kind=ResaleStep.Kind.WITHDRAWAL).get()
    assert step.sent_to == "Tom Hart"


def test_a_nominee_withdrawing_is_told_to_the_seller_by_letter_without_their_reason(officer):
    case = resale_case(officer, notice_on=NOTICE)
    buyer = purchaser(officer, address="3 Mill Lane, Cheriton")
    nomination = resales.resale_nominate(
        case=case, purchaser=buyer, on=NOTICE + timedelta(7), by=officer
    )
    resales.resale_nomination_proceed(nomination=nomination, on=NOTICE + timedelta(9), by=officer)
    resales.resale_nomination_withdraw(
        nomination=nomination,
        on=NOTICE + timedelta(12),
        reason="Lost their job and cannot get a mortgage",
        by=officer,
    )
    letter = case.letters.get(kind=Letter.Kind.RESALE_WITHDRAWN)
    assert letter.addressee == "Dan Green"  # the seller, at the home
    assert letter.context["address"] == ["12 Harbour Way", "Folkestone"]
    assert letter.context["buyer_name"] == "Priya Shah"
    assert letter.context["withdrawn_on"] == "13 October 2026"
    assert letter.context["was_proceeding"] is True
    # The letter names the buyer: it goes with the buyer's data when they are purged.
    assert letter.context["names_purchaser_id"] == buyer.pk
    assert "mortgage" not in str(letter.context)  # the buyer's reason is theirs
    assert letter.wording.kind == Letter.Kind.RESALE_WITHDRAWN
    document_render(model="allocations.Letter", pk=letter.pk)
    letter.refresh_from_db()
    assert letter.file.read().startswith(b"%PDF-")
    assert (
        letter_title(letter) == "12 Harbour Way, Folkestone: the buyer we nominated has withdrawn"
    )
    # The buyer who withdrew is sent nothing.
    assert not case.letters.filter(
        kind=Letter.Kind.RESALE_ENDED, context__purchaser_id=buyer.pk
    ).exists()
