"""Two officers sign overlapping licences on one unit at the same moment, each on their own
database connection: the exclusion constraint lets exactly one win, and the other is told why."""

import threading
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from residents import services
from residents.models import Licence
from tests.residents.helpers import documents_ready, draft, vacant_pitch, witness


def test_two_parallel_signings_on_one_unit_let_exactly_one_win(
    transactional_db, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    unit = vacant_pitch()
    today = timezone.localdate()
    licences = [draft(officer, unit=unit, start_date=today) for _ in range(2)]
    for licence in licences:
        documents_ready(licence, officer)
        services.licence_written_statement_give(
            licence=licence, given_on=today - timedelta(days=28), by=officer
        )

    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def sign(licence: Licence) -> None:
        try:
            barrier.wait(timeout=10)
            services.licence_sign(
                licence=licence, signed_on=today, witnessed_by=witness(), by=officer
            )
            outcomes[licence.pk] = "signed"
        except ValidationError as error:
            outcomes[licence.pk] = error
        finally:
            connection.close()  # each thread has its own connection; close it

    threads = [threading.Thread(target=sign, args=(licence,)) for licence in licences]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(str(o) if o == "signed" else "refused" for o in outcomes.values()) == [
        "refused",
        "signed",
    ]
    loser = next(o for o in outcomes.values() if isinstance(o, ValidationError))
    assert "already has a live licence" in " ".join(loser.messages)
    assert Licence.objects.filter(unit=unit, status=Licence.Status.LIVE).count() == 1
