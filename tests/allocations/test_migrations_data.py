"""Migrations meeting the data a live register may hold: each applies, or stops saying in
words what to put right. Transactional: they migrate back and forward."""

import pytest
from django.core.management import call_command

from allocations import services
from allocations.models import LocalLettingsPlan

pytestmark = pytest.mark.django_db(transaction=True)


def test_plans_named_alike_but_for_capitals_stop_the_constraint_saying_which(officer):
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
