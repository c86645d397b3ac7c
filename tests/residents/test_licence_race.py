"""Two officers sign the unit's licence at the same moment, each on their own database
connection: the row locks let exactly one win, and the other is told why. (A unit holds one
agreement being prepared at a time, so two overlapping drafts can no longer race: see
tests/allocations/test_letting_state.py.)"""

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
    licence = draft(officer, unit=unit, start_date=today)
    documents_ready(licence, officer, drawn_days_ago=28)
    services.licence_written_statement_give(
        licence=licence, given_on=today - timedelta(days=28), by=officer
    )
    witnessed_by = witness()

    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def sign(licence: Licence, attempt: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.licence_sign(
                licence=licence, signed_on=today, witnessed_by=witnessed_by, by=officer
            )
            outcomes[attempt] = "signed"
        except ValidationError as error:
            outcomes[attempt] = error
        finally:
            connection.close()  # each thread has its own connection; close it

    threads = [threading.Thread(target=sign, args=(licence, attempt)) for attempt in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(str(o) if o == "signed" else "refused" for o in outcomes.values()) == [
        "refused",
        "signed",
    ]
    loser = next(o for o in outcomes.values() if isinstance(o, ValidationError))
    assert "only a licence being prepared can be signed" in " ".join(loser.messages)
    assert Licence.objects.filter(unit=unit, status=Licence.Status.LIVE).count() == 1
