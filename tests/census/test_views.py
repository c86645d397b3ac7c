import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from census import counting, exports, services
from census.models import CaravanCount, CensusDifference, CensusReturn, OffSiteCount
from config.history import SYSTEM_USERNAME
from projects.models import WorkItem
from tests.census.factories import complete, licensed_pitch, started_round
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _return_with_occupant(by):
    census_round = started_round(by=by, pitches=1)
    return census_round, census_round.returns.get()


def _post_return(client, census_return, *, button, **fields):
    data = {button: ""}
    data.update(fields)
    return client.post(reverse("census:return-edit", args=[census_return.pk]), data)


def test_save_and_finish_later_keeps_part_done_answers_without_checking_completeness(
    client, officer
):
    _, census_return = _return_with_occupant(officer)
    client.force_login(officer)
    response = _post_return(client, census_return, button="save_draft", caravans="3")
    assert response.status_code == 302
    census_return.refresh_from_db()
    assert (census_return.status, census_return.caravans) == ("in_progress", 3)


def test_a_refused_submission_still_saves_what_was_typed_and_says_what_is_missing(client, officer):
    _, census_return = _return_with_occupant(officer)
    client.force_login(officer)
    response = _post_return(
        client, census_return, button="submit_return", caravans="4", notes="Dog on site"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say whether the licence holder was present" in page
    assert "What you typed has been saved" in page
    census_return.refresh_from_db()
    assert (census_return.caravans, census_return.notes) == (4, "Dog on site")
    assert census_return.status == CensusReturn.Status.IN_PROGRESS


def test_submitting_a_return_with_differences_puts_follow_up_tasks_in_the_queue(
    client, officer, sites_manager
):
    _, census_return = _return_with_occupant(officer)
    occupant = census_return.occupants.get()
    today = timezone.localdate()
    client.force_login(officer)
    response = _post_return(
        client,
        census_return,
        button="submit_return",
        holder_present="yes",
        **{f"occupant_{occupant.pk}": "moved_out"},
        new_0_name="John Smith",
        new_0_age="30",
        caravans="2",
        visited_on_0=today.day,
        visited_on_1=today.month,
        visited_on_2=today.year,
        officer=officer.pk,
        second_officer=UserFactory(username="second", roles=["officer"]).pk,
    )
    assert response.status_code == 302
    assert census_return.differences.count() == 2
    home = client.get(reverse("home")).content.decode()
    assert "has moved out" in home
    client.force_login(sites_manager)
    home = client.get(reverse("home")).content.decode()
    # The work names the licence holders as the holders, not as the unauthorised occupant.
    assert "Licence breach" in home
    assert re.search(r"Unauthorised occupant: licence [^<]+ held by [^<]+ \(", home)


def test_applying_a_difference_through_the_page_changes_the_records(client, officer):
    _, census_return = _return_with_occupant(officer)
    complete(census_return, by=officer, new_people=[{"name": "Ann Lee", "approximate_age": 7}])
    services.return_submit(census_return=census_return, by=officer)
    difference = census_return.differences.get()
    client.force_login(officer)
    url = reverse("census:difference-apply", args=[difference.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Seen on the visit"})
    assert response.status_code == 302
    difference.refresh_from_db()
    assert difference.status == CensusDifference.Status.APPLIED
    assert difference.unauthorised_occupant.name == "Ann Lee"
    again = client.post(url, {"reason": "Again"})
    assert again.status_code == 400
    assert "already been applied" in again.content.decode()


def test_head_of_service_sees_progress_but_not_the_returns(client, officer, head_of_service):
    census_round, _ = _return_with_occupant(officer)
    client.force_login(head_of_service)
    page = client.get(census_round.get_absolute_url()).content.decode()
    assert "0 of 1 pitches done" in page
    assert "Returns</h2>" not in page
    client.force_login(officer)
    assert "Returns</h2>" in client.get(census_round.get_absolute_url()).content.decode()


def test_the_round_page_names_the_licence_holder_of_each_pitch(client, officer):
    site = SiteFactory()
    licensed_pitch(site=site, holder_name="Bridget")
    census_round = started_round(by=officer, pitches=0, empty_pitches=1, site=site)
    client.force_login(officer)
    page = client.get(census_round.get_absolute_url()).content.decode()
    (licensed,) = census_round.returns.exclude(licence=None)
    assert "Bridget" in page and licensed.licence.household.reference in page
    assert "No live licence" in page


def test_the_round_page_makes_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    site = SiteFactory()
    census_round = started_round(by=officer, pitches=8, site=site)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        assert client.get(census_round.get_absolute_url()).status_code == 200


def _submitted_round(officer):
    site = SiteFactory(name="=HYPERLINK(evil)")
    census_round = started_round(by=officer, pitches=2, site=site, year=2026)
    first, second = census_round.returns.all()
    complete(first, by=officer, caravans=3, new_people=[{"name": "A B", "approximate_age": 70}])
    services.return_submit(census_return=first, by=officer)
    complete(second, by=officer, caravans=1)
    services.return_submit(census_return=second, by=officer)
    return census_round


def test_the_report_csv_counts_people_and_guards_against_formulas(client, officer, auditor):
    census_round = _submitted_round(officer)
    client.force_login(auditor)
    response = client.get(reverse("census:round-report-csv", args=[census_round.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_site = rows[rows.index(["People by site"]) + 1 :]
    header, site_row = by_site[0], by_site[1]
    assert site_row[0] == "'=HYPERLINK(evil)"
    figures = dict(zip(header, site_row, strict=True))
    # Two households, each a holder and a confirmed occupant; one new person; 4 caravans.
    assert figures["Households"] == "2"
    assert figures["Authorised occupants"] == "4"
    assert figures["Unauthorised occupants"] == "1"
    assert figures["Caravans"] == "4"


def test_the_report_downloads_as_an_excel_workbook(client, officer):
    census_round = _submitted_round(officer)
    client.force_login(officer)
    response = client.get(reverse("census:round-report-xlsx", args=[census_round.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["People by site", "People by age band"]
    ages = workbook["People by age band"]
    header = [cell.value for cell in ages[1]]
    total = [cell.value for cell in ages[ages.max_row]]
    assert total[header.index("65 and over")] == 1
    assert sum(value for value in total[1:]) == 5


def test_changes_since_last_year_compare_with_the_previous_round(officer):
    site = SiteFactory()
    licensed_pitch(site=site)
    last_year = services.round_create(
        year=2025,
        planned_start=date(2025, 1, 1),
        deadline=date(2025, 3, 1),
        sites=[site],
        by=officer,
    )
    services.round_start(census_round=last_year, by=officer)
    old = last_year.returns.get()
    complete(old, by=officer, caravans=1)
    services.return_submit(census_return=old, by=officer)
    this_year = started_round(by=officer, pitches=0, site=site, year=2026)
    new = this_year.returns.get()
    complete(new, by=officer, caravans=3)
    services.return_submit(census_return=new, by=officer)
    tables = dict(exports.report_tables(this_year))
    changes = tables["Changes since 2025"]
    assert changes[1][-2:] == [1, 3]


def test_the_caravan_count_csv_is_the_governments_one_row_per_authority(client, officer, settings):
    census_round = _submitted_round(officer)
    counting.caravan_counts_derive(
        census_round=census_round, count_date=date(2026, 1, 15), by=officer
    )
    for category, location, caravans in [
        (OffSiteCount.Category.PRIVATE_PERMANENT, "Orchard Yard", 6),
        (OffSiteCount.Category.PRIVATE_PERMANENT, "Mill Lane", 2),
        (OffSiteCount.Category.OTHER_LAND_NOT_TOLERATED, "Lay-by, A36", 3),
    ]:
        counting.off_site_count_record(
            count_date=date(2026, 1, 15),
            category=category,
            location=location,
            caravans=caravans,
            by=officer,
        )
    client.force_login(officer)
    response = client.get(reverse("census:count-csv") + "?date=2026-01-15")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        [
            "Local authority",
            "Count date",
            "Socially rented sites",
            "Private sites with temporary planning permission",
            "Private sites with permanent planning permission",
            "Unauthorised on land owned by Travellers: tolerated",
            "Unauthorised on land owned by Travellers: not tolerated",
            "Unauthorised on land not owned by Travellers: tolerated",
            "Unauthorised on land not owned by Travellers: not tolerated",
            "Total",
        ],
        [settings.COUNCIL_NAME, "2026-01-15", "4", "0", "8", "0", "0", "0", "3", "15"],
    ]
    page = client.get(reverse("census:count-list") + "?date=2026-01-15").content.decode()
    assert "Orchard Yard" in page and "Permanent residential site" in page


def test_a_day_nobody_counted_never_downloads_a_return_of_noughts(client, officer):
    client.force_login(officer)
    # Nothing counted yet: no return to download.
    assert client.get(reverse("census:count-csv")).status_code == 404
    counting.caravan_count_record(
        count_date=date(2026, 1, 15), site=SiteFactory(), caravans=5, by=officer
    )
    for asked in ("2026-07-15", "2026-01-16", "15/01/2026", "x" * 300):
        response = client.get(reverse("census:count-csv"), {"date": asked})
        assert response.status_code == 404, asked
        page = client.get(reverse("census:count-list"), {"date": asked})
        assert page.status_code == 200, asked
        html = page.content.decode()
        assert "No caravan count was taken on that date" in html, asked
        assert "Count on 15 January 2026" in html, asked
    assert client.get(reverse("census:count-csv"), {"date": "2026-01-15"}).status_code == 200
    assert client.get(reverse("census:count-csv")).status_code == 200


def test_caravans_off_the_councils_sites_are_entered_on_the_page(client, officer):
    client.force_login(officer)
    url = reverse("census:off-site-count-create")
    assert client.get(url).status_code == 200
    form = {
        "count_date_0": "14",
        "count_date_1": "1",
        "count_date_2": "2025",
        "category": OffSiteCount.Category.OWN_LAND_TOLERATED,
        "location": "Five Acre Field",
        "caravans": "4",
        "travelling_showpeople": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    count = OffSiteCount.objects.get()
    assert (count.location, count.caravans, count.travelling_showpeople) == (
        "Five Acre Field",
        4,
        True,
    )
    assert count.history.get().history_user == officer

    # A date outside January is refused, what was typed is kept, and nothing is written.
    response = client.post(url, {**form, "count_date_1": "7", "location": "Stone Lane"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The caravan count is taken in January: enter a date in January 2025" in page
    assert 'value="Stone Lane"' in page
    assert OffSiteCount.objects.count() == 1


def test_counting_from_a_round_refuses_another_years_date_and_keeps_it(client, officer):
    census_round = _submitted_round(officer)
    client.force_login(officer)
    url = reverse("census:count-derive", args=[census_round.pk])
    response = client.post(url, {"count_date_0": "14", "count_date_1": "1", "count_date_2": "2025"})
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Census 2026&#x27;s returns can only give the 2026 count: enter a date in January 2026"
        in page
    )
    assert 'value="2025"' in page
    assert not CaravanCount.objects.exists()
    response = client.post(url, {"count_date_0": "14", "count_date_1": "1", "count_date_2": "2026"})
    assert response.status_code == 302
    assert CaravanCount.objects.get().count_date == date(2026, 1, 14)


def test_census_is_in_the_navigation_only_for_roles_that_may_read_it(
    client, officer, business_support
):
    client.force_login(officer)
    assert reverse("census:round-list") in client.get(reverse("home")).content.decode()
    client.force_login(business_support)
    assert reverse("census:round-list") not in client.get(reverse("home")).content.decode()


def test_the_reminder_task_is_scheduled_and_puts_a_late_round_in_the_officers_queue(
    officer, settings
):
    from census.tasks import census_reminders_create

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "census.tasks.census_reminders_create" in schedule
    site = SiteFactory()
    licensed_pitch(site=site)
    today = timezone.localdate()
    services.round_create(
        year=today.year,
        planned_start=today - timedelta(days=2),
        deadline=today + timedelta(days=20),
        sites=[site],
        by=officer,
    )
    assert census_reminders_create() == {"work_items": 1}
    assert census_reminders_create() == {"work_items": 1}
    item = WorkItem.objects.get(kind=services.ROUND_NOT_STARTED)
    assert item.assigned_role.name == "officer"
    assert item.history.first().history_user.username == SYSTEM_USERNAME


def test_return_report_and_count_pages_make_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    census_round = _submitted_round(officer)
    for census_return in census_round.returns.all():
        for difference in census_return.differences.all():
            services.difference_apply(difference=difference, reason="Seen", by=officer)
    counting.caravan_counts_derive(
        census_round=census_round, count_date=date(2026, 1, 15), by=officer
    )
    client.force_login(officer)
    pages = [
        reverse("census:round-list"),
        reverse("census:return-detail", args=[census_round.returns.first().pk]),
        reverse("census:round-report", args=[census_round.pk]),
        reverse("census:count-list"),
    ]
    for url in pages:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url


def test_a_pitch_in_progress_is_not_also_counted_to_do(client, officer):
    # Issue 12: Hop Garden showed "done 3 + in progress 1 + to do 9" for 12 pitches.
    census_round = started_round(by=officer, pitches=4)
    first, second, *_ = census_round.returns.order_by("pk")
    complete(first, by=officer)
    services.return_submit(census_return=first, by=officer)
    services.return_save(census_return=second, by=officer, notes="Half done")
    client.force_login(officer)
    page = client.get(census_round.get_absolute_url()).content.decode()
    assert "1 of 4 pitches done, 1 in progress, 2 to do" in page


def test_the_caravan_count_page_counts_a_transit_sites_pitches(client, officer):
    from tests.factories import UnitFactory

    site = SiteFactory()
    for _ in range(3):
        UnitFactory(
            site=site,
            kind="transit_pitch",
            status="void",
            void_date=date(2025, 1, 1),
            void_reason="other",
        )
    day = date(timezone.localdate().year - 1, 1, 15)  # a January gone by
    counting.caravan_count_record(
        count_date=day, site=site, caravans=5, by=officer, site_type="transit"
    )
    transit = next(
        row
        for row in exports.caravan_count_by_site_type(day)
        if row["site_type"].startswith("Transit")
    )
    assert (transit["sites"], transit["pitches"], transit["caravans"]) == (1, 3, 5)
    client.force_login(officer)
    page = client.get(reverse("census:count-list"), {"date": day.isoformat()}).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page


def test_the_round_page_lists_its_returns_a_page_at_a_time(client, officer):
    from census.views import PAGE_SIZE

    site = SiteFactory(name="Oak Lane")
    census_round = started_round(by=officer, pitches=1, empty_pitches=PAGE_SIZE + 1, site=site)
    returns = list(census_round.returns.order_by("unit__reference"))
    assert len(returns) == PAGE_SIZE + 2
    client.force_login(officer)
    url = reverse("census:round-detail", args=[census_round.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["page_obj"].object_list) == PAGE_SIZE
    page = first.content.decode()
    assert f"Showing 1 to {PAGE_SIZE} of {PAGE_SIZE + 2} results" in page
    assert 'class="govuk-pagination"' in page and "?page=2" in page
    second = client.get(url, {"page": "2"})
    assert second.status_code == 200
    shown = list(second.context["page_obj"].object_list)
    assert len(shown) == 2
    assert f"Showing {PAGE_SIZE + 1} to {PAGE_SIZE + 2} of {PAGE_SIZE + 2}" in second.text
    assert shown[0].get_absolute_url() in second.text
    # A page number that is not one, or past the end, is the first or the last page.
    for bad in ("abc", "0", "999", "-1", "1e9", ""):
        assert client.get(url, {"page": bad}).status_code == 200, bad
    assert client.get(url, {"page": "2\x00"}).status_code == 400  # refused as all input is
    assert client.get(url, {"page": "999"}).context["page_obj"].number == 2


def test_changes_since_last_year_pass_over_a_round_that_never_started(officer):
    """A year planned but never started has no returns: comparing with it would show every
    household and caravan as new. The changes are since the last round that started."""
    site = SiteFactory()
    licensed_pitch(site=site)
    earlier = services.round_create(
        year=2024, planned_start=date(2024, 1, 1), deadline=date(2024, 3, 1), sites=[site],
        by=officer,
    )  # fmt: skip
    services.round_start(census_round=earlier, by=officer)
    old = earlier.returns.get()
    complete(old, by=officer, caravans=1)
    services.return_submit(census_return=old, by=officer)
    services.round_create(
        year=2025, planned_start=date(2025, 1, 1), deadline=date(2025, 3, 1), sites=[site],
        by=officer,
    )  # fmt: skip
    this_year = started_round(by=officer, pitches=0, site=site, year=2026)
    new = this_year.returns.get()
    complete(new, by=officer, caravans=3)
    services.return_submit(census_return=new, by=officer)
    tables = dict(exports.report_tables(this_year))
    assert "Changes since 2025" not in tables
    assert tables["Changes since 2024"][1][-2:] == [1, 3]
