"""Two people adding the same site, or the same unit to a site, at the same moment: the one
who saves second is told what a single person is told (the name or reference is taken), with
what they typed kept, never a server error, and nothing of theirs is written.

The clash is made deterministic: the other person's row is committed from a second database
connection after this person's form and the service's checks passed, just before the insert.
"""

from django.urls import reverse

from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory
from tests.races import saved_by_someone_else_first
from tests.sites.test_views import SITE_FORM

UNIT_FORM = {"reference": "Pitch 7", "kind": "pitch", "status": "occupied", "weekly_charge": "85"}
UNIT_TAKEN = "Hop Garden already has a unit with the reference Pitch 7"


def test_a_site_added_by_two_people_at_once_tells_the_second_the_name_is_taken(
    transactional_db, client, officer
):
    client.force_login(officer)
    with saved_by_someone_else_first(
        Site, lambda: SiteFactory(name=SITE_FORM["name"], reference=SITE_FORM["reference"])
    ):
        response = client.post(reverse("sites:site-create"), SITE_FORM)
    page = response.content.decode()
    assert response.status_code == 400
    assert "A site with this name already exists" in page
    assert "A site with this reference already exists" in page
    assert 'value="ME10 3SX"' in page
    assert Site.objects.count() == 1
    # One person sending the same site again is told in the same words.
    again = client.post(reverse("sites:site-create"), SITE_FORM).content.decode()
    assert "A site with this name already exists" in again


def test_a_unit_added_by_two_people_at_once_tells_the_second_the_reference_is_taken(
    transactional_db, client, officer
):
    site = SiteFactory(name="Hop Garden")
    client.force_login(officer)
    url = reverse("sites:unit-create", args=[site.pk])
    with saved_by_someone_else_first(
        Unit, lambda: UnitFactory(site=site, reference=UNIT_FORM["reference"])
    ):
        response = client.post(url, UNIT_FORM)
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {"reference": [UNIT_TAKEN]}
    assert "with this Site and Unit reference" not in page
    assert 'value="Pitch 7"' in page
    assert site.units.count() == 1
    # One person adding the same unit again is told in the same words, on the same field.
    again = client.post(url, UNIT_FORM)
    assert again.status_code == 400
    assert again.context["form"].errors == {"reference": [UNIT_TAKEN]}


def test_a_units_reference_taken_on_its_site_is_refused_on_the_reference_field(db, client, officer):
    site = SiteFactory(name="Hop Garden")
    UnitFactory(site=site, reference="Pitch 7")
    UnitFactory(reference="Pitch 7")  # another site's Pitch 7 is no clash
    other = UnitFactory(site=site, reference="Pitch 8")
    client.force_login(officer)
    added = client.post(reverse("sites:unit-create", args=[site.pk]), UNIT_FORM)
    assert added.status_code == 400
    assert added.context["form"].errors == {"reference": [UNIT_TAKEN]}
    changed = client.post(
        reverse("sites:unit-edit", args=[other.pk]), UNIT_FORM | {"reason": "Renumbered"}
    )
    assert changed.status_code == 400
    assert changed.context["form"].errors == {"reference": [UNIT_TAKEN]}
    other.refresh_from_db()
    assert other.reference == "Pitch 8"
    assert site.units.count() == 2
