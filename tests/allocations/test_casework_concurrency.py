"""Twenty officers offering one vacancy at the same moment make exactly one offer.

Each thread has its own database connection (Django opens one per thread), so this is twenty
real concurrent transactions against PostgreSQL: the vacancy row lock serialises them and the
partial unique index backs it up.
"""

import threading

from django.core.exceptions import ValidationError
from django.db import connection

from allocations import services
from allocations.models import Offer
from tests.allocations.casework import checks_back, frozen_vacancy, in_a_week
from tests.factories import UserFactory

OFFICERS = 20


def test_twenty_officers_offering_at_once_make_one_offer(transactional_db, officer):
    vacancy, entries = frozen_vacancy(officer, 90, 50, 10)
    for entry in entries:
        checks_back(entry.application, officer)
    officers = [UserFactory(username=f"officer{n}", roles=["officer"]) for n in range(OFFICERS)]
    results: list[str] = []
    barrier = threading.Barrier(OFFICERS)

    def offer(user, entry):
        try:
            barrier.wait()
            services.offer_make(entry=entry, respond_by=in_a_week(), by=user)
            results.append("offered")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    # Half try the top of the list, half the second place (as if it had been bypassed).
    threads = [
        threading.Thread(target=offer, args=(user, entries[n % 2]))
        for n, user in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("offered") == 1
    assert len(results) == OFFICERS
    assert all(
        "one offer at a time" in message or "shortlist order" in message
        for message in results
        if message != "offered"
    )
    (made,) = Offer.objects.filter(vacancy=vacancy)
    assert made.entry == entries[0] and made.status == Offer.Status.OPEN
