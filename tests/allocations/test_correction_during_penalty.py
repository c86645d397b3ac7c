"""A band corrected while a refusal penalty holds the household in the lowest band corrects
the band it returns to: the penalty keeps its date, and the corrected band (not the wrong
one) comes back when it ends. A bedroom need is corrected to at least one room."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import selectors, services
from allocations.models import Scheme
from config.history import system_user
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db


def _in_the_lowest_band_until(day, *, band_before_penalty):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        return ActiveApplicationFactory(
            scheme=Scheme.CBL,
            registration_date=date(2025, 10, 1),
            effective_date=date(2025, 10, 1),
            band=4,
            band_before_penalty=band_before_penalty,
            band_penalty_until=day,
        )


def _correct(application, *, band, by):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        return services.correction_record(
            application=application,
            field="band",
            value=band,
            applies_from=date(2025, 11, 1),
            reason="Medical evidence received in November was not acted on",
            by=by,
        )


def test_a_band_corrected_during_a_penalty_is_the_band_that_returns(team_leader):
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=3)

    correction = _correct(application, band=1, by=team_leader)

    application.refresh_from_db()
    # The penalty stays until its date; the corrected band is the one it returns to.
    assert (application.band, application.band_before_penalty) == (4, 1)
    assert application.band_penalty_until == date(2026, 6, 1)
    assert (correction.value_before, correction.value_after) == ("3", "1")
    reason = application.history.order_by("-history_date", "-history_id").first()
    assert "returns to when the refusal penalty ends on 1 June 2026" in (
        reason.history_change_reason
    )
    with time_machine.travel(date(2026, 6, 1), tick=False):
        services.renewals_run(today=date(2026, 6, 1), by=system_user())
    application.refresh_from_db()
    assert (application.band, application.band_penalty_until) == (1, None)


def test_a_band_already_right_under_the_penalty_is_said_to_be(team_leader):
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=2)

    with pytest.raises(ValidationError) as refused:
        _correct(application, band=2, by=team_leader)

    assert refused.value.message_dict["value"] == ["The band is already 2"]


def test_a_bedroom_need_of_none_at_all_is_refused(officer):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, band=2, bedroom_need=2)

    with pytest.raises(ValidationError) as refused:
        services.correction_record(
            application=application,
            field="bedroom_need",
            value=0,
            applies_from=date(2025, 2, 1),
            reason="Typed at registration",
            by=officer,
        )

    assert refused.value.message_dict["value"] == ["Enter a bedroom need from 1 to 10"]
    application.refresh_from_db()
    assert application.bedroom_need == 2


def test_the_correction_page_says_the_penalty_band_and_the_band_it_returns_to(client, team_leader):
    application = _in_the_lowest_band_until(date(2026, 6, 1), band_before_penalty=3)
    client.force_login(team_leader)

    with time_machine.travel(date(2026, 3, 2), tick=False):
        page = client.get(
            reverse("allocations:application-correction-create", args=[application.pk])
        )

    assert page.status_code == 200
    assert (
        "Band 4 until the refusal penalty ends on 1 June 2026, then back to band 3 (a band "
        "correction corrects the band it goes back to)" in page.text
    )


def test_the_correction_page_says_the_band_alone_without_a_penalty(client, team_leader):
    application = ActiveApplicationFactory(scheme=Scheme.CBL, band=2, bedroom_need=2)
    client.force_login(team_leader)

    page = client.get(reverse("allocations:application-correction-create", args=[application.pk]))

    assert page.status_code == 200
    assert "Band 2, bedroom need 2." in page.text
    assert "refusal penalty" not in page.text


def _shortlist_on(day, officer, *applications):
    from allocations.models import Vacancy
    from tests.allocations.cbl import legacy_bid
    from tests.allocations.factories import VacancyFactory

    with time_machine.travel(day, tick=False):
        vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED, scheme=Scheme.CBL)
        for application in applications:
            legacy_bid(application, vacancy, officer)
        services.shortlist_freeze(vacancy=vacancy, by=officer)
    return vacancy


def _in_penalty_from(day, application, officer):
    """The household put in the lowest band (4) until 1 June 2026 on `day`, as two refusals
    without good reason do where the policy says so."""
    from config.kernel.records import save

    with time_machine.travel(day, tick=False):
        application.band_before_penalty, application.band = application.band, 4
        application.band_penalty_until = date(2026, 6, 1)
        save(application, by=officer, reason="In the lowest band until 1 June 2026")
    return application


def test_the_replay_keeps_the_penalty_band_on_shortlists_frozen_during_the_penalty(
    officer, team_leader
):
    """A band corrected after the fact changes the shortlists the household was ranked on with
    the wrong band; not those frozen while a refusal penalty held it in the lowest band, where
    the corrected band would have been held there too."""
    with time_machine.travel(date(2025, 10, 1), tick=False):
        household = ActiveApplicationFactory(
            scheme=Scheme.CBL, band=3, effective_date=date(2025, 9, 1),
            registration_date=date(2025, 9, 1),
        )  # fmt: skip
        rival = ActiveApplicationFactory(
            scheme=Scheme.CBL, band=3, effective_date=date(2025, 6, 1),
            registration_date=date(2025, 6, 1),
        )  # fmt: skip
    before = _shortlist_on(date(2025, 12, 10), officer, household, rival)
    _in_penalty_from(date(2026, 1, 10), household, officer)
    during = _shortlist_on(date(2026, 2, 10), officer, household, rival)

    correction = _correct(household, band=1, by=team_leader)

    replay = {
        shortlist.vacancy.pk: shortlist
        for shortlist in selectors.correction_replay(correction).shortlists
    }
    # Band 1, not 3: first before the penalty.
    assert (replay[before.pk].position_had, replay[before.pk].position_would_have_had) == (2, 1)
    # Under the penalty the corrected band would have been held in band 4 too: no change.
    assert (replay[during.pk].position_had, replay[during.pk].position_would_have_had) == (2, 2)
    assert not replay[during.pk].changed and replay[during.pk].penalty_held
    assert not replay[before.pk].penalty_held


def test_the_correction_page_says_which_shortlists_the_penalty_held(client, officer, team_leader):
    with time_machine.travel(date(2025, 10, 1), tick=False):
        household = ActiveApplicationFactory(scheme=Scheme.CBL, band=3)
        rival = ActiveApplicationFactory(scheme=Scheme.CBL, band=2)
    application = _in_penalty_from(date(2026, 1, 10), household, officer)
    _shortlist_on(date(2026, 2, 10), officer, application, rival)
    correction = _correct(application, band=1, by=team_leader)
    client.force_login(team_leader)

    with time_machine.travel(date(2026, 3, 2), tick=False):
        page = client.get(correction.get_absolute_url())

    assert page.status_code == 200
    assert "frozen while a refusal penalty held the household in the lowest band" in page.text
