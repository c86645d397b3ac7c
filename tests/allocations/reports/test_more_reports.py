"""Bids per advert, refusals, void turnaround, casework, the register over time, and pitch
occupancy with the census: each report's numbers on a small built history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import Application
from allocations.reports.filters import Filters, ReportFilterForm
from allocations.reports.selectors.lettings import bids_report, refusals_report
from allocations.reports.selectors.register import casework_report, register_report
from allocations.reports.selectors.sites import occupancy_report
from allocations.reports.selectors.voids import voids_report
from config.kernel.records import save
from tests.allocations.casework import partner
from tests.allocations.factories import ActiveApplicationFactory, ApplicationFactory
from tests.allocations.nominations import provider, provider_home_shortlisted
from tests.allocations.reports.data import a_let, a_refusal, advert_closing, at_noon, bids_on
from tests.census.factories import complete, started_round
from tests.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db

AUTUMN = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 11, 30))


def provider_home(officer):
    """A provider's home, advertised to close on 10 October 2026 with two bids."""
    with time_machine.travel(at_noon(date(2026, 10, 10)), tick=False):
        vacancy, _ = provider_home_shortlisted(officer, provider("Northshire Homes"), bidders=2)
    return vacancy


def test_bids_per_advert_by_the_month_the_advert_closed(officer):
    bids_on(advert_closing(date(2026, 10, 10)), officer, 3, withdrawn=1)
    bids_on(advert_closing(date(2026, 10, 20)), officer, 4)
    advert_closing(date(2026, 11, 5))
    bids_on(advert_closing(date(2026, 8, 5)), officer, 2)  # before the period
    result = bids_report(AUTUMN)
    assert result.table.rows == [
        ["Oct 2026", "Gypsy and Traveller pitches", 2, 6, 3.0, 3.0],
        ["Nov 2026", "Gypsy and Traveller pitches", 1, 0, 0.0, 0.0],
    ]
    assert result.chart_table.rows == [
        ["Sep 2026", 0, 0, 0],
        ["Oct 2026", 2, 6, 3.0],
        ["Nov 2026", 1, 0, 0.0],
    ]


def test_a_registered_providers_advert_is_the_providers_in_the_landlord_filter(officer):
    # The advert of a provider's home records no landlord of its own: its unit names the
    # provider, as the reports' breakdowns do, so "Council" must not count it.
    home = provider_home(officer)
    bids_on(advert_closing(date(2026, 10, 10)), officer, 3)
    council = bids_report(Filters(**vars(AUTUMN) | {"landlord": "Council"}))
    theirs = bids_report(Filters(**vars(AUTUMN) | {"landlord": "Northshire Homes"}))
    assert council.chart_table.rows[1] == ["Oct 2026", 1, 3, 3.0]
    assert theirs.chart_table.rows[1] == ["Oct 2026", 1, 2, 2.0]
    assert home.landlord == ""


def test_a_registered_provider_is_a_landlord_to_choose_in_the_filters():
    provider("Northshire Homes")
    form = ReportFilterForm(uses=("landlord",))
    assert ("Northshire Homes", "Northshire Homes") in form.fields["landlord"].choices


def test_refusals_by_judgement_and_scheme_without_the_free_text_reasons(officer):
    # The reason is the officer's free text: it can be health ("8 months pregnant, has MS"),
    # so a figures-only report counts refusals and never prints it.
    for day in (3, 17):
        a_refusal(officer, on=date(2026, 10, day), reason="Too far from school", reasonable=False)
    a_refusal(officer, on=date(2026, 11, 2), reason="Pregnant, has MS: no stairs", reasonable=True)
    a_refusal(officer, on=date(2026, 8, 2), reason="Outside the period", reasonable=True)
    result = refusals_report(AUTUMN)
    assert result.chart_table.rows == [["Not reasonable", 2], ["Reasonable", 1]]
    assert result.table.rows == [
        ["Not reasonable", "Gypsy and Traveller pitches", 2],
        ["Reasonable", "Gypsy and Traveller pitches", 1],
    ]
    printed = repr((result.chart, result.chart_table, result.table))
    assert "Too far" not in printed and "MS" not in printed


def test_void_turnaround_per_site_and_landlord_from_the_units_history(officer, team_leader):
    oak, birch = SiteFactory(name="Oak Lane"), SiteFactory(name="Birch Close")
    a_let(
        officer,
        team_leader,
        on=date(2026, 10, 15),
        site=oak,
        void_on=date(2026, 9, 1),
        ready_on=date(2026, 9, 21),
    )
    a_let(officer, team_leader, on=date(2026, 10, 25), site=oak, void_on=date(2026, 10, 1))
    a_let(officer, team_leader, on=date(2026, 11, 10), site=birch, landlord="Northshire Homes",
          void_on=date(2026, 10, 1), ready_on=date(2026, 10, 11))  # fmt: skip
    result = voids_report(AUTUMN)
    assert result.table.rows == [
        ["Birch Close", "Northshire Homes", 1, 10.0, 30.0, 40.0, 40.0],
        # 44 and 24 days void to let; only the first had a ready-to-let date (20 and 24 days).
        ["Oak Lane", "Council", 2, 20.0, 24.0, 34.0, 34.0],
    ]
    assert [bar.value for bar in result.chart.bars] == [40.0, 34.0]


def test_casework_outstanding_counts_what_fell_due_in_the_period(officer, team_leader):
    police = partner()
    application = ActiveApplicationFactory()
    # The answered one first: the partner is not asked again while a check is unanswered.
    for due, returned in ((date(2026, 11, 5), True), (date(2026, 11, 1), False)):
        check = services.check_request(
            application=application, partner=police, purpose="Pitch offer",
            legal_basis="ISA clause 4", due_on=due, requested_on=date(2026, 10, 20), by=officer,
        )  # fmt: skip
        if returned:
            services.check_return(
                check=check, returned_on=due, outcome="clear", notes="", by=officer
            )
    a_let(officer, team_leader, on=date(2026, 11, 10), approve=False)
    a_let(officer, team_leader, on=date(2026, 11, 12))  # approved: nothing waits
    with time_machine.travel(at_noon(date(2026, 11, 1)), tick=False):
        renewing = ActiveApplicationFactory(renewal_date=date(2026, 11, 20))
        services.renewal_remind(
            application=renewing, due_on=date(2026, 11, 20), today=date(2026, 11, 1), by=officer
        )
    result = casework_report(AUTUMN)
    assert result.chart_table.rows == [
        ["Due-diligence checks overdue", 1],
        ["Allocation decisions waiting for a team leader", 1],
        ["Renewals due, not yet answered", 1],
    ]
    assert result.table.rows[0] == [
        "Due-diligence checks overdue", "Gypsy and Traveller pitches", 1, date(2026, 11, 1),
    ]  # fmt: skip


def test_the_register_at_the_end_of_each_month_comes_from_the_applications_history(officer):
    with time_machine.travel(at_noon(date(2026, 9, 10)), tick=False):
        first = ActiveApplicationFactory(band=1, bedroom_need=2)
        ApplicationFactory(band=1, bedroom_need=1)  # a draft is not on the register
    with time_machine.travel(at_noon(date(2026, 10, 5)), tick=False):
        ActiveApplicationFactory(band=2, bedroom_need=3)
    with time_machine.travel(at_noon(date(2026, 10, 20)), tick=False):
        first.status = Application.Status.WITHDRAWN
        save(first, by=officer, reason="Withdrawn by the household")
    result = register_report(AUTUMN)
    assert result.table.rows == [
        ["Sep 2026", "Band 1", "2", 1],
        ["Oct 2026", "Band 2", "3", 1],
        ["Nov 2026", "Band 2", "3", 1],
    ]
    assert result.chart_table.headers == ["Month", "Band 1", "Band 2", "All"]
    assert result.chart_table.rows == [
        ["Sep 2026", 1, 0, 1],
        ["Oct 2026", 0, 1, 1],
        ["Nov 2026", 0, 1, 1],
    ]
    homes = register_report(
        Filters(date_from=AUTUMN.date_from, date_to=AUTUMN.date_to, scheme="cbl")
    )
    assert homes.table.rows == [] and homes.chart.empty


def test_the_register_shows_no_month_after_today(officer):
    with time_machine.travel(at_noon(date(2026, 9, 10)), tick=False):
        ActiveApplicationFactory(band=1, bedroom_need=2)
    with time_machine.travel(at_noon(date(2026, 10, 15)), tick=False):
        result = register_report(AUTUMN)
        ahead = register_report(Filters(date_from=date(2026, 11, 1), date_to=date(2027, 3, 31)))
    assert result.table.rows == [["Sep 2026", "Band 1", "2", 1], ["Oct 2026", "Band 1", "2", 1]]
    assert [row[0] for row in result.chart_table.rows] == ["Sep 2026", "Oct 2026"]
    assert ahead.table.rows == [] and ahead.chart.empty


def _census_site(officer):
    site = SiteFactory(name="Oak Lane", town="Ashford")
    census_round = started_round(by=officer, pitches=2, empty_pitches=1, site=site)
    UnitFactory(site=site, status="void", void_date=date(2026, 1, 5))
    changed, same = census_round.returns.filter(licence__isnull=False).order_by("pk")
    occupant = changed.occupants.filter(licence_occupant__role="occupant").first()
    complete(
        changed,
        by=officer,
        holder_present=False,
        findings={occupant.pk: "moved_out"},
        new_people=[{"name": "John Smith", "approximate_age": 30}],
    )
    complete(same, by=officer)
    from census import services as census_services

    for census_return in (changed, same):
        census_services.return_submit(census_return=census_return, by=officer)
    return site


def test_pitch_occupancy_and_census_findings_by_site(officer):
    _census_site(officer)
    SiteFactory(name="Elm Field", town="Folkestone")  # no pitches: not listed
    today = timezone.localdate()
    result = occupancy_report(Filters(date_from=today - timedelta(days=30), date_to=today))
    assert result.table.rows == [["Oak Lane", 4, 2, 1, 1, 50.0, 2, 1, 1, 1, 3]]
    assert result.chart_table.rows == [["Oak Lane", 50.0]]
    elsewhere = Filters(date_from=today - timedelta(days=30), date_to=today, area="Folkestone")
    assert occupancy_report(elsewhere).table.rows == []


def test_the_head_of_service_is_not_shown_a_refusals_reason_on_the_page_or_download(
    client, officer, head_of_service
):
    a_refusal(
        officer, on=timezone.localdate(), reason="Pregnant, has MS: no stairs", reasonable=True
    )
    client.force_login(head_of_service)
    page = client.get(reverse("reports:refusals")).text
    download = client.get(reverse("reports:refusals-csv"))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert "Reasonable" in page and b"Reasonable" in body
    assert "no stairs" not in page and b"no stairs" not in body


def test_pitch_occupancy_leaves_closed_sites_out(client, officer, head_of_service):
    _census_site(officer)
    closed = SiteFactory(name="Ash Yard", town="Ashford", status="closed")
    UnitFactory(site=closed, status="unavailable")
    UnitFactory(site=closed, status="void", void_date=date(2026, 1, 5))
    today = timezone.localdate()
    result = occupancy_report(Filters(date_from=today - timedelta(days=30), date_to=today))
    assert [row[0] for row in result.table.rows] == ["Oak Lane"]
    assert result.chart_table.rows == [["Oak Lane", 50.0]]
    client.force_login(head_of_service)
    page = client.get(reverse("reports:occupancy")).text
    assert "Oak Lane" in page and "Ash Yard" not in page
    assert "closed sites are left out" in page


def test_a_report_download_makes_a_formula_after_a_line_break_plain(client, head_of_service):
    UnitFactory(site=SiteFactory(name="\n=HYPERLINK(evil)", town="Ashford"))
    client.force_login(head_of_service)
    response = client.get(reverse("reports:occupancy-csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '"\'\n=HYPERLINK(evil)"' in body
