"""Low-cost home ownership purchasers in subject access and the purge: a would-be buyer on the
register may be nobody else in our records, so a request is recorded from the register, the
export holds their entry, nominations and the resale steps naming them, and the purge (by its
own retention rule) leaves nothing of them in any table."""

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from allocations.models import Purchaser, ResaleNomination, ResaleStep
from allocations.privacy.models import PurgeRegisterEntry, SubjectAccessRequest
from allocations.privacy.purge import purchasers_purge
from allocations.privacy.retention import purchasers_due
from allocations.privacy.services import (
    retention_batch_confirm,
    retention_batch_create,
    subject_access_export,
    subject_access_record,
)
from allocations.services import resales
from tests.allocations.resales import purchaser, resale_case
from tests.privacy.test_purge import _text_columns_holding

pytestmark = pytest.mark.django_db

NAME = "Quentin Zarathustra"
OTHER = "Olive Underhill"


@pytest.fixture
def nominated(officer):
    """A buyer on the register nominated to a resale (the steps name them), and another."""
    buyer = purchaser(officer, name=NAME)
    other = purchaser(officer, name=OTHER)
    case = resale_case(officer, notice_on=timezone.localdate() - timedelta(days=10))
    resales.resale_nominate(
        case=case, purchaser=buyer, on=case.notice_on + timedelta(days=4), by=officer
    )
    return buyer, other, case


def test_an_officer_records_a_request_from_a_purchaser_found_on_the_register(
    client, officer, nominated
):
    buyer, _other, _case = nominated
    client.force_login(officer)
    register = client.get(reverse("allocations:purchaser-list"), {"q": "Zarathustra"})
    url = reverse("privacy:sar-create-purchaser", args=[buyer.pk])
    assert url in register.content.decode()
    refused = client.post(url, {"how_received": "Email of 2 December"})
    assert refused.status_code == 400 and b"Email of 2 December" in refused.content
    today = timezone.localdate()
    client.post(
        url,
        {
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
            "how_received": "Email of 2 December",
            "officer": officer.pk,
        },
    )
    sar = SubjectAccessRequest.objects.get(purchaser=buyer)
    assert sar.person is None and sar.subject == buyer
    page = client.get(sar.get_absolute_url()).content.decode()
    assert f"from {NAME}" in page and "low-cost home ownership" in page


def test_a_purchasers_export_holds_their_entry_nominations_steps_and_letters(officer, nominated):
    buyer, _other, case = nominated
    sar = subject_access_record(
        purchaser=buyer,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(request=sar, by=officer)))
    names = set(archive.namelist())
    for kind in ("purchaser", "resalenomination", "resalestep"):
        assert f"records/{kind}.csv" in names, kind
        assert f"history/{kind}.csv" in names, kind
    assert {"cover-letter.html", "withheld.csv", "records/subjectaccessrequest.csv"} <= names
    text = "".join(archive.read(name).decode("utf-8-sig") for name in names)
    assert NAME in text and OTHER not in text
    steps = archive.read("records/resalestep.csv").decode("utf-8-sig").splitlines()
    assert len(steps) == 2 and "nominated to buy" in steps[1]  # not the case's other steps
    assert "register for low-cost home ownership" in archive.read("cover-letter.html").decode()
    # Their own letter (nominated to buy); the seller's letter naming them is the seller's.
    letters = archive.read("records/letter.csv").decode("utf-8-sig").splitlines()
    assert len(letters) == 2 and "you are nominated (to the buyer)" in letters[1]
    assert case.steps.count() > 1


def test_purging_a_purchaser_leaves_nothing_of_them_and_keeps_the_case(officer, nominated):
    buyer, other, case = nominated
    subject_access_record(
        purchaser=buyer,
        received_on=timezone.localdate(),
        how_received="Letter",
        officer=officer,
        by=officer,
    )
    assert _text_columns_holding(NAME)
    steps = case.steps.count()
    count = purchasers_purge([buyer.pk])
    assert count.rows > 5
    assert _text_columns_holding(NAME) == []
    assert not Purchaser.objects.filter(pk=buyer.pk).exists()
    assert not Purchaser.history.filter(id=buyer.pk).exists()
    assert not ResaleNomination.history.filter(purchaser_id=buyer.pk).exists()
    # The case keeps its record of each step, the buyer's name removed from it.
    assert case.steps.count() == steps
    step = ResaleStep.objects.get(case=case, kind="nomination")
    assert "[removed]" in step.sent_to and "[removed] nominated" in step.communication
    assert Purchaser.objects.filter(pk=other.pk).exists()
    assert _text_columns_holding(OTHER)


def test_the_retention_rule_finds_a_purchaser_with_nothing_going_after_the_period(
    officer, nominated, team_leader
):
    buyer, other, _case = nominated
    later = timezone.localdate() + relativedelta(years=3)
    due = {record.record_id for record in purchasers_due(later)}
    # The nominated buyer's resale is still open: not due; the other has had nothing since.
    assert due == {other.pk}
    assert not {r.record_id for r in purchasers_due(timezone.localdate())}
    with time_machine.travel(timezone.now() + relativedelta(years=3), tick=False):
        batch = retention_batch_create(today=later, by=team_leader)
        assert {item.record_id for item in batch.items.filter(rule="purchasers")} == {other.pk}
        retention_batch_confirm(batch=batch, reason="Schedule reached", by=team_leader, today=later)
    assert not Purchaser.objects.filter(pk=other.pk).exists()
    assert Purchaser.objects.filter(pk=buyer.pk).exists()
    entry = PurgeRegisterEntry.objects.get(rule="purchasers")
    assert (entry.record_type, entry.count) == ("allocations.Purchaser", 1)
