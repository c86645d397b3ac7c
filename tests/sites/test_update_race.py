"""A site renamed, or a unit renumbered, to a name or reference someone else gave another
site or unit at the same moment: the one who saves second is told what a single person is told
(the name or reference is taken), on its field, with what they typed kept, never a server
error, and nothing of their change is written.

The clash is made deterministic: the other person's row is committed from a second database
connection after this person's form and the service's checks passed, just before the update
(for a unit, in the renumbering's own transaction: see its test).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.urls import reverse

from sites import services
from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory
from tests.races import saved_by_someone_else_first
from tests.sites.test_create_race import UNIT_FORM, UNIT_TAKEN
from tests.sites.test_views import SITE_FORM


def test_a_site_renamed_as_someone_else_adds_that_name_tells_the_second_it_is_taken(
    transactional_db, client, officer
):
    site = SiteFactory(name="Hop Garden", reference="GT-01")
    client.force_login(officer)
    with saved_by_someone_else_first(
        Site, lambda: SiteFactory(name=SITE_FORM["name"], reference="GT-09"), updates=True
    ):
        response = client.post(
            reverse("sites:site-edit", args=[site.pk]), SITE_FORM | {"reason": "Renamed"}
        )
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": [Site.NAME_TAKEN]}
    assert 'value="Marsh Road"' in response.content.decode()
    site.refresh_from_db()
    assert (site.name, site.reference) == ("Hop Garden", "GT-01")
    assert site.history.count() == 1


def test_a_site_given_a_reference_someone_else_takes_at_once_is_refused_on_the_reference(
    transactional_db, officer
):
    site = SiteFactory(name="Hop Garden", reference="GT-01")
    with (
        saved_by_someone_else_first(
            Site, lambda: SiteFactory(name="Oak Lane", reference="GT-04"), updates=True
        ),
        pytest.raises(ValidationError) as refused,
    ):
        services.site_update(site=site, by=officer, reason="Renumbered", reference="GT-04")
    assert refused.value.message_dict == {"reference": [Site.REFERENCE_TAKEN]}
    site.refresh_from_db()
    assert site.reference == "GT-01"
    assert site.history.count() == 1


def test_a_site_renamed_to_a_name_taken_is_refused_in_the_forms_words(db, officer):
    site = SiteFactory(name="Hop Garden", reference="GT-01")
    SiteFactory(name="Oak Lane", reference="GT-04")
    with pytest.raises(ValidationError) as refused:
        services.site_update(
            site=site, by=officer, reason="Renamed", name="Oak Lane", reference="GT-04"
        )
    assert refused.value.message_dict == {
        "name": [Site.NAME_TAKEN],
        "reference": [Site.REFERENCE_TAKEN],
    }
    # Keeping its own name and reference is no clash.
    services.site_update(site=site, by=officer, reason="Town corrected", town="Canterbury")
    assert site.history.count() == 2


def test_a_unit_renumbered_to_a_reference_that_appears_after_the_check_is_told_it_is_taken(
    db, client, officer
):
    # The clash is made in the renumbering's own transaction, after its checks passed, just
    # before its update (as a unit added by someone else at that moment would commit it): the
    # refusal the database's constraint backs.
    site = SiteFactory(name="Hop Garden")
    unit = UnitFactory(site=site, reference="Pitch 8")
    added: list[Unit] = []

    def added_after_the_check(sender, instance, **kwargs) -> None:
        if instance.pk == unit.pk and not added:
            added.append(UnitFactory(site=site, reference=UNIT_FORM["reference"]))

    client.force_login(officer)
    pre_save.connect(added_after_the_check, sender=Unit, weak=False)
    try:
        response = client.post(
            reverse("sites:unit-edit", args=[unit.pk]), UNIT_FORM | {"reason": "Renumbered"}
        )
    finally:
        pre_save.disconnect(added_after_the_check, sender=Unit)
    assert added
    assert response.status_code == 400
    assert response.context["form"].errors == {"reference": [UNIT_TAKEN]}
    assert 'value="Pitch 7"' in response.content.decode()
    unit.refresh_from_db()
    assert unit.reference == "Pitch 8"
    assert unit.history.count() == 1
