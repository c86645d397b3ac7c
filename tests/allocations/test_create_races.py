"""A partner or a local lettings plan saved under a name someone else saved at the same
moment: told the name is taken, as one person is, never a server error, nothing written."""

import pytest
from django.core.exceptions import ValidationError

from allocations import services
from allocations.models import LocalLettingsPlan, Partner
from tests.races import saved_by_someone_else_first


def test_a_partner_added_twice_at_once_tells_the_second_the_name_is_taken(
    transactional_db, officer
):
    def add(agreement: str) -> Partner:
        partner = Partner(name="Northshire Police", kind=Partner.Kind.POLICE, agreement=agreement)
        return services.partner_save(partner=partner, by=officer)

    with (
        saved_by_someone_else_first(Partner, lambda: add("ISA 1")),
        pytest.raises(ValidationError, match="Partner with this Name already exists"),
    ):
        add("ISA 2")
    assert list(Partner.objects.values_list("agreement", flat=True)) == ["ISA 1"]


def test_a_lettings_plan_added_twice_at_once_tells_the_second_the_name_is_taken(
    transactional_db, officer
):
    def add(area: str) -> LocalLettingsPlan:
        return services.lettings_plan_save(
            name="Shorncliffe new homes", area=area, local_connection="required", by=officer
        )

    with (
        saved_by_someone_else_first(LocalLettingsPlan, lambda: add("Cheriton")),
        pytest.raises(ValidationError) as refused,
    ):
        add("Folkestone")
    assert refused.value.message_dict == {"name": ["There is already a plan with that name"]}
    assert list(LocalLettingsPlan.objects.values_list("area", flat=True)) == ["Cheriton"]


def test_a_lettings_plan_added_at_once_under_the_name_in_other_letters_is_told_it_is_taken(
    transactional_db, officer
):
    # The form refuses "shorncliffe" once "Shorncliffe" is there; so does the database when
    # the two are saved at the same moment.
    def add(name: str, area: str) -> LocalLettingsPlan:
        return services.lettings_plan_save(
            name=name, area=area, local_connection="required", by=officer
        )

    with (
        saved_by_someone_else_first(LocalLettingsPlan, lambda: add("Shorncliffe", "Cheriton")),
        pytest.raises(ValidationError) as refused,
    ):
        add("shorncliffe", "Folkestone")
    assert refused.value.message_dict == {"name": ["There is already a plan with that name"]}
    assert list(LocalLettingsPlan.objects.values_list("name", flat=True)) == ["Shorncliffe"]
    assert LocalLettingsPlan.history.count() == 1
    # One person adding it again, in any capitals, is told in the same words.
    with pytest.raises(ValidationError) as again:
        add("SHORNCLIFFE", "Folkestone")
    assert again.value.message_dict == {"name": ["There is already a plan with that name"]}
