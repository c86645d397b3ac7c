"""The introductory tenancy's notices (issue 14; Housing Act 1996 s.125A/B): extending the
period sends the tenants a notice in the council's wording with every reason and the right to
ask for a review within 14 days, dated; confirming tells them when it becomes secure. Both
are listed on the tenancy's page with a download for those who see tenancies."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations.documents import letter_merge_context, letter_title, wording_page_context
from allocations.models import Letter
from allocations.services import letter_send
from config.kernel.documents import document_render
from residents import services
from residents.models import LicenceOccupant
from tests.residents.test_tenancies import tenancy_signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_extending_the_period_sends_the_tenants_a_notice_with_the_reasons_and_review_right(
    officer,
):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        services.tenancy_introductory_extend(
            tenancy=tenancy,
            reason="Rent arrears of 6 weeks\nA warning about noise in October",
            by=officer,
        )
        letter = Letter.objects.get(tenancy=tenancy)
        assert letter.kind == Letter.Kind.INTRO_EXTENDED
        assert letter.application is None
        assert letter.context["reasons"] == [
            "Rent arrears of 6 weeks",
            "A warning about noise in October",
        ]
        assert letter.context["was_ending_on"] == "2 March 2027"
        assert letter.context["extended_to"] == "2 September 2027"
        assert letter.context["review_by"] == "19 January 2027"  # 14 days from the notice
        assert letter.context["review_days"] == 14
        assert letter.reference == tenancy.reference
        assert letter.wording.kind == Letter.Kind.INTRO_EXTENDED
        assert letter_title(letter) == "Notice extending your introductory tenancy"
        document_render(model="allocations.Letter", pk=letter.pk)
        letter.refresh_from_db()
        assert letter.file.read().startswith(b"%PDF-")


def test_confirming_the_period_tells_the_tenants_when_it_becomes_secure(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 10), tick=False):
        services.tenancy_introductory_confirm(tenancy=tenancy, by=officer)
    letter = Letter.objects.get(tenancy=tenancy)
    assert letter.kind == Letter.Kind.INTRO_CONFIRMED
    assert letter.context["secure_from"] == "2 March 2027"
    assert letter.channel == Letter.Channel.POST  # to the home


def test_a_refused_extension_sends_no_notice(officer):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with (
        time_machine.travel(date(2027, 1, 20), tick=False),
        pytest.raises(ValidationError, match="at least 8 weeks"),
    ):
        services.tenancy_introductory_extend(tenancy=tenancy, reason="Too late", by=officer)
    assert not Letter.objects.filter(tenancy=tenancy).exists()


def test_the_tenancy_page_lists_the_notice_and_only_tenancy_readers_download_it(
    client, officer, provider_staff
):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        services.tenancy_introductory_extend(tenancy=tenancy, reason="Arrears", by=officer)
    letter = Letter.objects.get(tenancy=tenancy)
    document_render(model="allocations.Letter", pk=letter.pk)
    url = reverse("allocations:tenancy-letter", args=[letter.pk])
    client.force_login(officer)
    page = client.get(tenancy.get_absolute_url()).content.decode()
    assert "Letters to the tenants" in page
    assert "Introductory tenancy extended to" in page and url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert f"{tenancy.reference}-intro_extended-letter.pdf" in response["Content-Disposition"]
    client.force_login(provider_staff)  # a provider's user sees no council tenancy
    assert client.get(url).status_code == 403


def test_the_review_page_extends_and_the_notice_is_made(client, team_leader):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(team_leader, start_date=date(2026, 3, 2))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        client.force_login(team_leader)
        url = reverse("residents:introductory-review", args=[tenancy.pk])
        response = client.post(url, {"outcome": "extend", "reason": "Rent arrears"})
        assert response.status_code == 302
    assert Letter.objects.filter(tenancy=tenancy, kind=Letter.Kind.INTRO_EXTENDED).count() == 1


def _extended_with_no_tenant_named_now(officer, business_support=None):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        tenancy = tenancy_signed(officer, start_date=date(2026, 3, 2))
    # The tenant's name taken off the tenancy (left, or put on in error): the household's
    # lead is still on record.
    tenancy.occupants.filter(role=LicenceOccupant.Role.HOLDER).update(to_date=date(2026, 12, 1))
    with time_machine.travel(date(2027, 1, 5), tick=False):
        services.tenancy_introductory_extend(tenancy=tenancy, reason="Arrears", by=officer)
    return tenancy, Letter.objects.get(tenancy=tenancy)


def test_a_notice_with_no_tenant_named_is_addressed_to_the_households_lead_by_name(officer):
    tenancy, letter = _extended_with_no_tenant_named_now(officer)
    assert letter.context["lead_name"] == "Mary Lee"
    body = wording_page_context(letter.wording, letter_merge_context(letter))["wording_html"]
    assert "Dear Mary Lee," in body
    assert tenancy.household.reference not in body


def test_the_post_room_lists_the_notice_to_the_households_lead_by_name(
    client, officer, business_support
):
    tenancy, letter = _extended_with_no_tenant_named_now(officer)
    document_render(model="allocations.Letter", pk=letter.pk)
    assert letter_send(letter_id=letter.pk, by=officer) == Letter.Delivery.IN_POST_ROOM
    client.force_login(business_support)
    page = client.get(reverse("allocations:post-room")).content.decode()
    assert "Mary Lee" in page
    assert tenancy.household.reference not in page
