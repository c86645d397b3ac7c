"""Migrations meeting the data a live register may hold: each applies, or stops saying in
words what to put right. Transactional (they migrate back and forward): each asks for the
conftest's `transactional_db`, which puts back the migrations' rows (the policies in force)
that an earlier transactional test's emptying took."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from allocations import services
from allocations.models import LocalLettingsPlan, ShortlistEntry
from tests.allocations.casework import checks_back, in_a_week
from tests.allocations.cbl import advert, applicant, uk


def test_plans_named_alike_but_for_capitals_stop_the_constraint_saying_which(
    transactional_db, officer
):
    # Two plans saved at the same moment before the names were unique ignoring capitals could
    # both be kept: the migration that makes them unique names them, not a database error.
    for name, area in (("Shorncliffe", "Cheriton"), ("Sandgate", "Sandgate")):
        services.lettings_plan_save(name=name, area=area, local_connection="required", by=officer)
    call_command("migrate", "allocations", "0039", verbosity=0)
    try:
        LocalLettingsPlan.objects.filter(name="Sandgate").update(name="shorncliffe")
        with pytest.raises(RuntimeError) as stopped:
            call_command("migrate", "allocations", "0040", verbosity=0)
        assert str(stopped.value) == (
            "Local lettings plans whose names differ only in capitals: Shorncliffe, "
            "shorncliffe. Rename all but one of each (the plan's page, with a reason), then "
            "migrate again."
        )
        LocalLettingsPlan.objects.filter(name="shorncliffe").update(name="Sandgate")
    finally:
        call_command("migrate", verbosity=0)
    assert sorted(LocalLettingsPlan.objects.values_list("name", flat=True)) == [
        "Sandgate",
        "Shorncliffe",
    ]


def test_the_migrations_apply_to_a_register_with_exemptions_recorded_before(
    transactional_db, officer
):
    # Copying in the migration that added the fields left foreign-key checks pending when the
    # fields' indexes were built: it failed on any database with a recorded exemption.
    application = applicant()
    with time_machine.travel(uk(2026, 12, 1, 9), tick=False):
        services.connection_exemption_record(
            application=application,
            group="care_leaver",
            reason="Leaving care team's letter",
            by=officer,
        )
    call_command("migrate", "allocations", "0040", verbosity=0)
    try:
        call_command("migrate", "allocations", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    application.refresh_from_db()
    assert (
        application.connection_exempt_recorded_by,
        application.connection_exempt_recorded_at,
        application.connection_exempt_reason,
    ) == (officer, uk(2026, 12, 1, 9), "Leaving care team's letter")


def test_households_taken_off_before_the_offer_was_kept_go_back_when_it_is_withdrawn(
    transactional_db, officer
):
    # Entries taken off a shortlist before the entry kept the accepted offer that took them
    # off: the migration finds that offer, so withdrawing it still puts the household back.
    with time_machine.travel(uk(2027, 3, 20, 12, 0), tick=False):
        cycle = services.cycle_create(opens_on=date(2027, 3, 25), by=officer)
    with time_machine.travel(uk(2027, 3, 26, 10, 0), tick=False):
        household = applicant(band=1)
        homes = [advert(cycle, officer) for _ in range(2)]
        for home in homes:
            services.place_bid(application=household, advert=home, channel="phone", by=officer)
    with time_machine.travel(uk(2027, 3, 30, 9, 0), tick=False):
        services.cycles_close_due(by=officer)
        checks_back(household, officer)
        taken, other = (ShortlistEntry.objects.get(vacancy=h, application=household) for h in homes)
        offer = services.offer_make(entry=taken, respond_by=in_a_week(), by=officer)
        services.offer_accept(offer=offer, on=date(2027, 3, 30), by=officer)
        call_command("migrate", "allocations", "0042", verbosity=0)
        try:
            call_command("migrate", "allocations", verbosity=0)
        finally:
            call_command("migrate", verbosity=0)
        other.refresh_from_db()
        assert other.removed_by_offer == offer
        assert other.history.first().history_change_reason.startswith("The accepted offer that")
        services.offer_withdraw(offer=offer, reason="The household withdrew", by=officer)
        other.refresh_from_db()
        assert other.removed_reason == ""
