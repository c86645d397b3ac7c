"""The words residents and sites managers read: the written statement says the time the
Mobile Homes Act 1983 gives before signing, and a transit pitch's its fixed term; a breach
reaches the sites managers' queue naming the licence holders, not only a licence reference and
a pitch (its email, which leaves the service, names no one)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from config.kernel.dates import letter_date
from projects.models import WorkItem
from residents import services
from residents.documents import licence_context
from residents.models import Breach
from sites.models import Unit
from tests.residents.helpers import draft, household_of_two, signed, vacant_pitch

pytestmark = pytest.mark.django_db


def test_the_written_statement_says_it_comes_28_days_before_the_agreement(officer):
    # Mobile Homes Act 1983 s.1(2)-(4) as applied: at least 28 days, or less with the
    # proposed occupier's written consent. "Before" alone reads as any time before.
    licence = draft(officer, household=household_of_two())
    html = render_to_string("residents/pdf/2026-1/written_statement.html", licence_context(licence))
    assert "at least 28 days before you make the agreement" in html
    assert "unless you agree in writing to a shorter time" in html


def test_a_breachs_work_item_names_the_licence_holders_and_its_email_names_no_one(
    officer, sites_manager
):
    licence = signed(officer)
    breach = services.breach_raise(
        licence=licence,
        category=Breach.Category.CARAVANS,
        observed_on=timezone.localdate(),
        description="Three caravans on a two-caravan pitch",
        by=officer,
    )
    assert services.breach_notification_send(breach_id=breach.pk) == "sent"
    item = WorkItem.objects.get(source_key=f"licence_breach:{breach.pk}")
    # The holder is named as the holder: "Too many caravans: Mary Lee" would read as if she
    # were the breach (an unauthorised occupant, say).
    assert item.title == (
        f"Too many caravans or unauthorised structures: licence {licence.reference} held by "
        f"Mary Lee ({licence.unit})"
    )
    # The email leaves the service: it names the pitch, never the household on it.
    (email,) = mail.outbox
    assert "Lee" not in email.subject and "Lee" not in email.body


def test_a_transit_pitchs_written_statement_gives_its_fixed_term_not_a_permanent_pitchs_rights(
    officer,
):
    start = timezone.localdate()
    end = start + timedelta(days=28)
    licence = services.licence_draft_create(
        household=household_of_two(),
        unit=vacant_pitch(kind=Unit.Kind.TRANSIT_PITCH),
        start_date=start,
        end_date=end,
        by=officer,
    )
    html = render_to_string("residents/pdf/2026-1/written_statement.html", licence_context(licence))
    assert f"until {letter_date(end)}, a fixed term of no more than three months" in html
    assert "transit pitch agreement" in html
    # What the statement of a permanent pitch says, and the transit agreement contradicts.
    assert "for as long as the agreement lasts" not in html
    assert "reviewed once a year" not in html
    assert "take over the agreement" not in html
    assert "pitch licence agreement" not in html


def test_a_permanent_pitchs_written_statement_keeps_its_rights(officer):
    licence = draft(officer, household=household_of_two())
    html = render_to_string("residents/pdf/2026-1/written_statement.html", licence_context(licence))
    assert "for as long as the agreement lasts" in html
    assert "take over the agreement" in html
    assert "fixed term" not in html


def test_the_breach_page_names_the_licence_holders(client, officer, sites_manager):
    licence = signed(officer)
    breach = services.breach_raise(
        licence=licence,
        category=Breach.Category.CARAVANS,
        observed_on=timezone.localdate(),
        description="Three caravans on a two-caravan pitch",
        by=officer,
    )
    client.force_login(sites_manager)
    page = client.get(breach.get_absolute_url()).content.decode()
    assert "Licence holders" in page and "Mary Lee" in page
