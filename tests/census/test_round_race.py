"""Planning a year's census round twice at the same moment (a double press of Plan the round)
plans one round; the other is told there is one, never a server error.

Each thread has its own database connection, so these are real concurrent transactions.
"""

import threading
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection

from census import services
from census.models import CensusRound
from tests.factories import SiteFactory, UserFactory

PRESSES = 4


def test_a_round_planned_twice_at_once_is_planned_once(transactional_db):
    site = SiteFactory()
    people = [UserFactory(username=f"officer{n}", roles=["officer"]) for n in range(PRESSES)]
    results: list[str] = []
    barrier = threading.Barrier(PRESSES)

    def plan(user):
        try:
            barrier.wait()
            services.round_create(
                year=2027,
                planned_start=date(2027, 5, 1),
                deadline=date(2027, 6, 30),
                sites=[site],
                by=user,
            )
            results.append("planned")
        except ValidationError as error:
            results.append(error.messages[0])
        except Exception as error:  # what went wrong is the finding
            results.append(f"server error: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=plan, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("planned") == 1, results
    # Each other press is told in words (by the service's check or the model's own uniqueness
    # check, whichever saw the first round), never with a database error.
    refusals = [result for result in results if result != "planned"]
    assert all("already" in r and not r.startswith("server error") for r in refusals), results
    assert CensusRound.objects.filter(year=2027).count() == 1
