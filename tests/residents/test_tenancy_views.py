"""Tenancies through the pages and through the allocation's approval: the tenancy page says
"tenancy", signing asks for the keys, ending offers a tenancy's reasons, the introductory review
confirms or extends."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocations_services
from config.kernel.dates import page_date
from residents.models import Licence
from sites.models import Unit
from tests.allocations.casework import answers_as_records, checks_back, frozen_vacancy, in_a_week
from tests.factories import HomeFactory
from tests.residents.helpers import days_ago, witness
from tests.residents.test_tenancies import agreement_ready, tenancy_draft, tenancy_signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_approving_an_allocation_of_a_home_prepares_a_tenancy_not_a_licence(officer, team_leader):
    home = HomeFactory(
        status=Unit.Status.ADVERTISED,
        void_date=date(2026, 1, 5),
        void_reason=Unit.VoidReason.TRANSFER,
        weekly_charge=Decimal("101.20"),
        service_charge=Decimal("3.50"),
    )
    _vacancy, entries = frozen_vacancy(officer, 50, unit=home)
    checks_back(entries[0].application, officer)
    offer = allocations_services.offer_make(entry=entries[0], respond_by=in_a_week(), by=officer)
    allocations_services.offer_accept(offer=offer, on=timezone.localdate(), by=officer)
    decision = allocations_services.decision_propose(
        offer=offer, answers=answers_as_records(offer), reasons="Top of the list", by=officer
    )
    allocations_services.decision_approve(decision=decision, comments="Agreed", by=team_leader)
    tenancy = Licence.objects.get(unit=home)
    assert tenancy.kind == Licence.Kind.INTRODUCTORY and tenancy.status == Licence.Status.DRAFT
    assert tenancy.weekly_rent == Decimal("101.20") and tenancy.service_charge == Decimal("3.50")
    assert tenancy.weekly_fee is None


def test_the_tenancy_page_speaks_of_a_tenancy_its_rent_and_tenants(client, officer):
    tenancy = tenancy_draft(officer)
    client.force_login(officer)
    page = client.get(tenancy.get_absolute_url()).content.decode()
    assert f"Tenancy {tenancy.reference}" in page and "Introductory tenancy" in page
    assert "Weekly rent" in page and "£98.40" in page and "£6.15" in page
    assert "Mary Lee" in page and "Household member" in page
    assert "Prepare the tenancy agreement" in page
    assert "Written statement" not in page and "pitch fee" not in page


def test_signing_a_tenancy_through_the_page_asks_for_the_keys(client, officer):
    tenancy = tenancy_draft(officer)
    agreement_ready(tenancy, officer)
    client.force_login(officer)
    url = reverse("residents:licence-sign", args=[tenancy.pk])
    today = timezone.localdate()
    page = client.get(url).content.decode()
    assert "Date the keys were handed over" in page and "Every tenant has signed" in page
    typed = {
        **_date("signed_on", today),
        "witnessed_by": witness().pk,
        "holders_signed": "on",
        "keys_handed_over_on_0": "",
        "keys_handed_over_on_1": "",
        "keys_handed_over_on_2": "",
    }
    response = client.post(url, typed)
    assert response.status_code == 400
    assert "Enter the date the keys were handed over" in response.content.decode()
    response = client.post(url, {**typed, **_date("keys_handed_over_on", today)})
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.status == Licence.Status.LIVE and tenancy.keys_handed_over_on == today
    assert "Keys handed over" in client.get(tenancy.get_absolute_url()).content.decode()


def test_ending_a_tenancy_offers_only_a_tenancys_reasons(client, officer):
    tenancy = tenancy_signed(officer, start_date=days_ago(60))
    client.force_login(officer)
    url = reverse("residents:licence-end", args=[tenancy.pk])
    page = client.get(url).content.decode()
    assert "notice to quit" in page and "Mutual exchange" in page.replace("mutual", "Mutual")
    assert "Ground the court ended it on" not in page
    response = client.post(url, {"reason": "court_order", **_date("end_date", days_ago(1))})
    assert response.status_code == 400  # a pitch's reason is not a choice here
    response = client.post(
        url,
        {
            "reason": "notice_to_quit",
            **_date("notice_given_on", days_ago(40)),
            **_date("end_date", days_ago(1)),
        },
    )
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.end_reason == Licence.EndReason.NOTICE_TO_QUIT
    assert Unit.objects.get(pk=tenancy.unit_id).status == Unit.Status.VOID


def test_the_introductory_review_page_extends_with_a_reason(client, officer, auditor):
    # Ten months in: the period ends in 10 weeks, so a notice can still be served.
    started = timezone.localdate() - relativedelta(months=12) + timedelta(weeks=10)
    tenancy = tenancy_signed(officer, start_date=started)
    url = reverse("residents:introductory-review", args=[tenancy.pk])
    client.force_login(auditor)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert (
        "Review the introductory period" in client.get(tenancy.get_absolute_url()).content.decode()
    )
    response = client.post(url, {"outcome": "extend", "reason": ""})
    assert response.status_code == 400
    assert "Say why the introductory period is extended" in response.content.decode()
    response = client.post(url, {"outcome": "extend", "reason": "Three noise complaints"})
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.introductory_ends_on == started + relativedelta(months=18)
    page = client.get(tenancy.get_absolute_url()).content.decode()
    right_until = page_date(timezone.localdate() + timedelta(days=14))
    assert "Three noise complaints" in page and right_until in page
    assert "Letters to the tenants" in page and "Introductory tenancy extended to" in page
    response = client.post(url, {"outcome": "confirm"})
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.introductory_review == Licence.IntroductoryReview.CONFIRMED
    # Confirmed: nothing more to review.
    assert client.get(url).status_code == 403
