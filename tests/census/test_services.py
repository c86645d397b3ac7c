from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from census import counting, services
from census.models import (
    CaravanCount,
    CensusDifference,
    CensusReturn,
    CensusRound,
    OffSiteCount,
)
from config.kernel.dates import page_date
from projects.models import WorkItem
from residents.models import UnauthorisedOccupant
from tests.census.factories import complete, started_round
from tests.factories import SiteFactory, UnitFactory, UserFactory
from tests.races import saved_by_someone_else_first, saved_by_someone_else_meanwhile

pytestmark = pytest.mark.django_db


def _only_return(census_round):
    return census_round.returns.select_related("licence").get()


def test_starting_a_round_makes_a_return_for_every_pitch_prefilled_from_the_licence(officer):
    census_round = started_round(by=officer, pitches=2, empty_pitches=1)
    returns = list(census_round.returns.all())
    assert len(returns) == 3
    licensed = [r for r in returns if r.licence_id]
    assert len(licensed) == 2
    assert all(r.occupants.count() == 1 for r in licensed)
    assert census_round.status == CensusRound.Status.STARTED
    planned = census_round.history.earliest()
    assert planned.history_change_reason == f"Round planned for: {returns[0].unit.site.name}"


def test_a_round_cannot_start_twice(officer):
    census_round = started_round(by=officer, pitches=1)
    with pytest.raises(ValidationError, match="already started"):
        services.round_start(census_round=census_round, by=officer)


def test_a_second_round_for_the_same_year_is_refused(officer):
    census_round = started_round(by=officer, pitches=1)
    with pytest.raises(ValidationError, match="already a census round"):
        services.round_create(
            year=census_round.year,
            planned_start=census_round.planned_start,
            deadline=census_round.deadline,
            sites=[SiteFactory()],
            by=officer,
        )


def test_a_return_can_be_saved_part_done_without_being_complete(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    saved = services.return_save(census_return=census_return, by=officer, notes="Gate locked")
    assert saved.status == CensusReturn.Status.IN_PROGRESS
    assert saved.notes == "Gate locked"
    assert saved.caravans is None
    assert saved.history.first().history_user == officer


def test_an_incomplete_return_cannot_be_submitted_and_says_what_is_missing(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    with pytest.raises(ValidationError) as error:
        services.return_submit(census_return=census_return, by=officer)
    occupant = census_return.occupants.get()
    assert set(error.value.error_dict) == {
        "visited_on",
        "officer",
        "second_officer",
        "caravans",
        "holder_present",
        f"occupant_{occupant.pk}",
    }


def test_a_census_visit_needs_two_different_officers_before_it_is_submitted(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    complete(census_return, by=officer, second_officer=None)
    with pytest.raises(ValidationError) as alone:
        services.return_submit(census_return=census_return, by=officer)
    assert alone.value.message_dict == {
        "second_officer": ["Select the second officer: two officers visit together"]
    }
    complete(census_return, by=officer, second_officer=officer)
    with pytest.raises(ValidationError) as twice:
        services.return_submit(census_return=census_return, by=officer)
    assert twice.value.message_dict == {
        "second_officer": ["The second officer must be someone else"]
    }
    census_return.refresh_from_db()
    assert census_return.status == CensusReturn.Status.IN_PROGRESS


def test_a_visit_dated_before_the_round_began_is_refused_and_changes_no_licence(officer):
    census_round = started_round(by=officer, pitches=1)
    census_return = _only_return(census_round)
    occupant = census_return.occupants.get()
    # A mistyped year: 2021 for this year's round.
    mistyped = census_round.planned_start.replace(year=2021)
    complete(
        census_return,
        by=officer,
        visited_on=mistyped,
        findings={occupant.pk: "moved_out"},
    )
    with pytest.raises(ValidationError) as refused:
        services.return_submit(census_return=census_return, by=officer)
    began = census_round.planned_start
    assert refused.value.message_dict == {
        "visited_on": [
            f"The date of the visit must be on or after {page_date(began)}, when "
            f"{census_round} began"
        ]
    }
    assert not CensusDifference.objects.exists()
    complete(census_return, by=officer, visited_on=began, findings={occupant.pk: "moved_out"})
    submitted = services.return_submit(census_return=census_return, by=officer)
    assert submitted.status == CensusReturn.Status.SUBMITTED


def test_a_return_matching_the_records_makes_no_differences_and_no_work(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    complete(census_return, by=officer)
    services.return_submit(census_return=census_return, by=officer)
    census_return.refresh_from_db()
    assert census_return.status == CensusReturn.Status.SUBMITTED
    assert not census_return.differences.exists()
    assert not WorkItem.objects.filter(kind=services.FOLLOW_UP).exists()


def test_each_difference_becomes_a_follow_up_task_for_the_officer_who_visited(
    officer, team_leader, sites_manager
):
    census_return = _only_return(started_round(by=officer, pitches=1))
    occupant = census_return.occupants.get()
    complete(
        census_return,
        by=officer,
        officer=team_leader,
        holder_present=False,
        findings={occupant.pk: "moved_out"},
        new_people=[{"name": "John Smith", "approximate_age": 30}],
    )
    services.return_submit(census_return=census_return, by=officer)
    kinds = set(census_return.differences.values_list("kind", flat=True))
    assert kinds == {"holder_absent", "occupant_gone", "new_occupant"}
    follow_ups = WorkItem.objects.filter(kind=services.FOLLOW_UP)
    assert follow_ups.count() == 3
    assert {item.assignee for item in follow_ups} == {team_leader}


def test_a_missing_holder_and_a_new_person_are_suspected_breaches_for_the_sites_manager(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    occupant = census_return.occupants.get()
    complete(
        census_return,
        by=officer,
        holder_present=False,
        findings={occupant.pk: "moved_out"},
        new_people=[{"name": "John Smith", "approximate_age": 30}],
    )
    services.return_submit(census_return=census_return, by=officer)
    # The pitch has a live licence: each becomes a licence breach, in the sites managers' queue.
    breaches = census_return.licence.breaches.all()
    assert sorted(b.category for b in breaches) == ["not_main_residence", "unauthorised_occupant"]
    assert all(b.description.startswith("Census ") for b in breaches)
    work = WorkItem.objects.filter(kind="licence_breach")
    assert work.count() == 2
    assert {item.assigned_role.name for item in work} == {"sites_manager"}
    flagged = set(
        census_return.differences.filter(suspected_breach=True).values_list("kind", flat=True)
    )
    assert flagged == {"holder_absent", "new_occupant"}


def test_a_suspected_breach_on_a_pitch_with_no_live_licence_is_work_for_the_sites_manager(
    officer,
):
    census_return = _only_return(started_round(by=officer, pitches=0, empty_pitches=1))
    complete(census_return, by=officer, new_people=[{"name": "Tom Price", "approximate_age": 40}])
    services.return_submit(census_return=census_return, by=officer)
    (item,) = WorkItem.objects.filter(kind=services.SUSPECTED_BREACH)
    assert item.assigned_role.name == "sites_manager" and "Tom Price" in item.title


def test_a_submitted_return_cannot_be_changed(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    complete(census_return, by=officer)
    services.return_submit(census_return=census_return, by=officer)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.return_save(census_return=census_return, by=officer, notes="late")


def _submitted_with(officer, **overrides):
    census_return = _only_return(started_round(by=officer, pitches=1))
    complete(census_return, by=officer, **overrides)
    services.return_submit(census_return=census_return, by=officer)
    return census_return


def test_applying_an_occupant_gone_ends_their_place_on_the_licence_on_the_visit_date(officer):
    census_return = _only_return(started_round(by=officer, pitches=1))
    occupant = census_return.occupants.get()
    complete(census_return, by=officer, findings={occupant.pk: "moved_out"})
    services.return_submit(census_return=census_return, by=officer)
    difference = census_return.differences.get()
    services.difference_apply(difference=difference, reason="Confirmed by phone", by=officer)
    census_return.refresh_from_db()
    licence_occupant = occupant.licence_occupant
    licence_occupant.refresh_from_db()
    assert licence_occupant.to_date == census_return.visited_on
    latest = licence_occupant.history.first()
    assert latest.history_user == officer
    assert "Confirmed by phone" in latest.history_change_reason
    difference.refresh_from_db()
    assert difference.status == CensusDifference.Status.APPLIED
    follow_up = WorkItem.objects.get(source_key=f"census_follow_up:{difference.pk}")
    assert follow_up.status == WorkItem.Status.DONE


def test_applying_a_new_person_records_an_unauthorised_occupant(officer):
    census_return = _submitted_with(
        officer, new_people=[{"name": "John Smith", "approximate_age": 30}]
    )
    difference = census_return.differences.get()
    services.difference_apply(difference=difference, reason="Seen on site", by=officer)
    found = UnauthorisedOccupant.objects.get()
    assert (found.name, found.approximate_age, found.unit_id) == (
        "John Smith",
        30,
        census_return.unit_id,
    )
    assert found.licence_id == census_return.licence_id
    assert found.where_found == f"census {census_return.round.year}"
    assert found.history.first().history_user == officer


def test_applying_twice_is_refused(officer):
    census_return = _submitted_with(
        officer, new_people=[{"name": "John Smith", "approximate_age": 30}]
    )
    difference = census_return.differences.get()
    services.difference_apply(difference=difference, reason="Seen on site", by=officer)
    with pytest.raises(ValidationError, match="already been applied"):
        services.difference_apply(difference=difference, reason="Again", by=officer)
    assert UnauthorisedOccupant.objects.count() == 1


def test_applying_needs_a_reason(officer):
    census_return = _submitted_with(
        officer, new_people=[{"name": "John Smith", "approximate_age": 30}]
    )
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.difference_apply(
            difference=census_return.differences.get(), reason=" ", by=officer
        )


def test_an_absent_holder_cannot_be_applied_but_can_be_dismissed_with_a_reason(officer):
    census_return = _submitted_with(officer, holder_present=False)
    difference = census_return.differences.get()
    with pytest.raises(ValidationError, match="Nothing in the records changes"):
        services.difference_apply(difference=difference, reason="x", by=officer)
    services.difference_dismiss(difference=difference, reason="Was at work", by=officer)
    difference.refresh_from_db()
    assert difference.status == CensusDifference.Status.DISMISSED
    assert difference.resolution_reason == "Was at work"
    assert difference.history.first().history_user == officer


def test_caravans_are_derived_from_the_rounds_submitted_returns(officer):
    census_round = started_round(by=officer, pitches=2, year=2025)
    first, second = census_round.returns.all()
    complete(first, by=officer, caravans=3)
    services.return_submit(census_return=first, by=officer)
    complete(second, by=officer, caravans=5)  # saved, not submitted: not counted
    counts = counting.caravan_counts_derive(
        census_round=census_round, count_date=date(2025, 1, 14), by=officer
    )
    assert [(c.caravans, c.source, c.site_type) for c in counts] == [(3, "census", "permanent")]


def test_a_round_gives_only_its_own_years_count(officer):
    """Census 2025's returns are not what stood on the sites in January 2026 (or 2024)."""
    census_round = started_round(by=officer, pitches=1, year=2025)
    census_return = census_round.returns.get()
    complete(census_return, by=officer, caravans=3)
    services.return_submit(census_return=census_return, by=officer)
    for day in (date(2026, 1, 14), date(2024, 1, 14)):
        with pytest.raises(ValidationError) as refused:
            counting.caravan_counts_derive(census_round=census_round, count_date=day, by=officer)
        assert refused.value.message_dict == {
            "count_date": [
                "Census 2025's returns can only give the 2025 count: enter a date in January 2025"
            ]
        }
    assert not CaravanCount.objects.exists()


def test_a_site_of_transit_pitches_is_counted_as_a_transit_site(officer):
    transit = SiteFactory(name="Wayside transit site")
    UnitFactory(site=transit, kind="transit_pitch")
    UnitFactory(site=transit, kind="transit_pitch")
    mixed = SiteFactory(name="Oak Lane")
    UnitFactory(site=mixed, kind="pitch")
    UnitFactory(site=mixed, kind="transit_pitch")
    day = date(2025, 1, 14)
    counts = [
        counting.caravan_count_record(count_date=day, site=site, caravans=2, by=officer)
        for site in (transit, mixed)
    ]
    assert [count.site_type for count in counts] == ["transit", "permanent"]


def test_a_hand_entered_count_replaces_the_figure_for_that_site_and_date(officer):
    site = SiteFactory()
    today = date(2025, 1, 14)
    counting.caravan_count_record(count_date=today, site=site, caravans=4, by=officer)
    count = counting.caravan_count_record(
        count_date=today, site=site, caravans=6, site_type="transit", by=officer
    )
    assert (count.caravans, count.site_type) == (6, "transit")
    assert count.history.count() >= 2


def test_a_count_is_taken_on_one_day_in_january(officer):
    site = SiteFactory()
    with pytest.raises(ValidationError) as refused:
        counting.caravan_count_record(
            count_date=date(2025, 2, 1), site=site, caravans=4, by=officer
        )
    assert refused.value.message_dict["count_date"] == [
        "The caravan count is taken in January: enter a date in January 2025"
    ]
    counting.caravan_count_record(count_date=date(2025, 1, 14), site=site, caravans=4, by=officer)
    # A second day in the same January would add up visits, not count one day.
    with pytest.raises(ValidationError) as refused:
        counting.off_site_count_record(
            count_date=date(2025, 1, 20),
            category=OffSiteCount.Category.PRIVATE_TEMPORARY,
            location="Orchard Yard",
            caravans=2,
            by=officer,
        )
    assert (
        "The 2025 count was taken on 14 January 2025" in refused.value.message_dict["count_date"][0]
    )
    assert not OffSiteCount.objects.exists()
    # The next year's count is a new day.
    counting.caravan_count_record(count_date=date(2024, 1, 20), site=site, caravans=5, by=officer)


def test_a_count_date_still_to_come_is_refused_and_never_becomes_the_years_count(officer):
    site = SiteFactory()
    ahead = date(timezone.localdate().year + 1, 1, 14)  # always a January still to come
    for record in (
        lambda: counting.caravan_count_record(count_date=ahead, site=site, caravans=4, by=officer),
        lambda: counting.off_site_count_record(
            count_date=ahead,
            category=OffSiteCount.Category.PRIVATE_PERMANENT,
            location="Orchard Yard",
            caravans=2,
            by=officer,
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            record()
        assert refused.value.message_dict == {
            "count_date": ["The count date must be today or in the past"]
        }
    census_round = started_round(by=officer, pitches=1, year=ahead.year)
    census_return = census_round.returns.get()
    complete(census_return, by=officer)
    services.return_submit(census_return=census_return, by=officer)
    with pytest.raises(ValidationError, match="today or in the past"):
        counting.caravan_counts_derive(census_round=census_round, count_date=ahead, by=officer)
    assert not CaravanCount.objects.exists() and not OffSiteCount.objects.exists()


def test_a_place_counted_again_replaces_its_figure_and_every_problem_is_given_at_once(officer):
    first = counting.off_site_count_record(
        count_date=date(2025, 1, 14),
        category=OffSiteCount.Category.OTHER_LAND_TOLERATED,
        location="Lay-by, A36",
        caravans=3,
        by=officer,
    )
    again = counting.off_site_count_record(
        count_date=date(2025, 1, 14),
        category=OffSiteCount.Category.OTHER_LAND_TOLERATED,
        location="lay-by, a36",
        caravans=5,
        by=officer,
    )
    assert again.pk == first.pk and again.caravans == 5
    assert again.history.count() == 2
    with pytest.raises(ValidationError) as refused:
        counting.off_site_count_record(
            count_date=date(2025, 3, 1), category="moon", location=" ", caravans=-1, by=officer
        )
    assert set(refused.value.message_dict) == {"count_date", "category", "location", "caravans"}


def test_reminders_for_a_round_not_started_are_made_once_and_closed_when_it_starts(officer):
    site = SiteFactory()
    from tests.census.factories import licensed_pitch

    licensed_pitch(site=site)
    today = timezone.localdate()
    census_round = services.round_create(
        year=today.year,
        planned_start=today - timedelta(days=3),
        deadline=today + timedelta(days=30),
        sites=[site],
        by=officer,
    )
    first = services.census_reminders(today=today, by=officer)
    again = services.census_reminders(today=today, by=officer)
    assert [item.pk for item in first] == [item.pk for item in again]
    assert first[0].kind == services.ROUND_NOT_STARTED
    assert first[0].assigned_role.name == "officer"
    services.round_start(census_round=census_round, by=officer)
    first[0].refresh_from_db()
    assert first[0].status == WorkItem.Status.DONE
    assert services.census_reminders(today=today, by=officer) == []


def test_reminders_name_each_site_with_returns_outstanding_after_the_deadline(officer):
    census_round = started_round(by=officer, pitches=2)
    late = census_round.deadline + timedelta(days=1)
    assert services.census_reminders(today=census_round.deadline, by=officer) == []
    items = services.census_reminders(today=late, by=officer)
    assert len(items) == 1
    assert items[0].kind == services.RETURNS_OUTSTANDING
    for census_return in census_round.returns.all():
        complete(census_return, by=officer)
        services.return_submit(census_return=census_return, by=officer)
    items[0].refresh_from_db()
    assert items[0].status == WorkItem.Status.DONE
    assert services.census_reminders(today=late, by=officer) == []


def test_a_round_closes_only_when_every_return_is_in(officer):
    census_round = started_round(by=officer, pitches=2)
    first, second = census_round.returns.all()
    complete(first, by=officer)
    services.return_submit(census_return=first, by=officer)
    with pytest.raises(ValidationError, match="1 return still to be submitted"):
        services.round_close(census_round=census_round, by=officer)
    complete(second, by=officer)
    services.return_submit(census_return=second, by=officer)
    closed = services.round_close(census_round=census_round, by=officer)
    assert closed.status == CensusRound.Status.CLOSED
    with pytest.raises(ValidationError, match="not open for returns"):
        services.return_save(census_return=first, by=officer, notes="late")


def test_a_round_planned_twice_at_once_tells_the_second_the_year_has_one(transactional_db, officer):
    site = SiteFactory()

    def plan(deadline: date) -> CensusRound:
        return services.round_create(
            year=2031,
            planned_start=date(2031, 1, 5),
            deadline=deadline,
            sites=[site],
            by=officer,
        )

    with (
        saved_by_someone_else_first(CensusRound, lambda: plan(date(2031, 2, 1))),
        pytest.raises(ValidationError) as refused,
    ):
        plan(date(2031, 3, 1))
    assert refused.value.message_dict == {"year": ["There is already a census round for 2031"]}
    assert CensusRound.objects.get().deadline == date(2031, 2, 1)


def test_a_count_saved_twice_at_once_keeps_one_figure_never_a_server_error(transactional_db):
    """A double press of Save count (or two officers entering the same site): the second
    waits for the first and replaces its figure, as a count entered again does."""
    officer = UserFactory(username="counting-officer", roles=["officer"])
    site = SiteFactory()
    day = date(2024, 1, 17)

    def other_press():
        counting.caravan_count_record(count_date=day, site=site, caravans=7, by=officer)

    with saved_by_someone_else_meanwhile(CaravanCount, other_press):
        counting.caravan_count_record(count_date=day, site=site, caravans=9, by=officer)
    count = CaravanCount.objects.get(site=site, count_date=day)
    assert count.caravans == 7
    assert count.history.count() == 2
