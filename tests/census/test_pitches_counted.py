"""Which pitches the census and the caravan count take in: a pitch out of use is no capacity
of a site; every pitch, transit ones included, is visited by the census."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from census import counting, exports, services
from tests.census.factories import licensed_pitch
from tests.factories import LicenceFactory, SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _pitch(site, *, status="void", kind="pitch"):
    if status == "unavailable":
        return UnitFactory(site=site, kind=kind, status=status)
    return UnitFactory(
        site=site, kind=kind, status=status, void_date=date(2025, 1, 1), void_reason="other"
    )


def test_the_caravan_count_leaves_out_pitches_not_available(client, officer):
    site = SiteFactory()
    _pitch(site)
    _pitch(site, kind="transit_pitch")
    _pitch(site, status="unavailable")
    _pitch(site, status="unavailable", kind="transit_pitch")
    day = date(timezone.localdate().year - 1, 1, 15)  # a January gone by
    counting.caravan_count_record(count_date=day, site=site, caravans=4, by=officer)
    permanent = next(
        row
        for row in exports.caravan_count_by_site_type(day)
        if row["site_type"].startswith("Permanent")
    )
    assert (permanent["sites"], permanent["pitches"], permanent["caravans"]) == (1, 2, 4)
    client.force_login(officer)
    page = client.get(reverse("census:count-list"), {"date": day.isoformat()}).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


def test_the_census_round_visits_transit_pitches_too(officer):
    site = SiteFactory()
    pitch, licence = licensed_pitch(site=site)
    transit = UnitFactory(site=site, kind="transit_pitch")
    stay = LicenceFactory(
        unit=transit,
        kind="transit",
        start_date=timezone.localdate() - timedelta(days=10),
        end_date=timezone.localdate() + timedelta(days=60),
        end_reason="fixed_term",
    )
    today = timezone.localdate()
    census_round = services.round_create(
        year=today.year,
        planned_start=today - timedelta(days=1),
        deadline=today + timedelta(days=30),
        sites=[site],
        by=officer,
    )
    services.round_start(census_round=census_round, by=officer)
    returns = {r.unit: r.licence for r in census_round.returns.all()}
    assert returns == {pitch: licence, transit: stay}
