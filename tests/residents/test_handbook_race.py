"""Printing a site's handbook twice at the same moment (a double press of Print, or two sites
managers at once) makes two numbered editions, never a refused duplicate number.

Each thread has its own database connection, so these are real concurrent transactions.
"""

import threading

from django.db import connection

from residents import services
from residents.models import HandbookEdition
from tests.factories import SiteFactory, UserFactory

PRINTS = 4


def _print_at_once(site, people) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(len(people))

    def request(user):
        try:
            barrier.wait()
            services.handbook_edition_request(site=site, by=user)
            results.append("printed")
        except Exception as error:  # what went wrong is the finding
            results.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_printing_a_handbook_several_times_at_once_numbers_each_edition(transactional_db):
    manager = UserFactory(username="sites-manager", roles=["sites_manager"])
    site = SiteFactory()
    services.handbook_section_create(
        heading="Welcome", body="Welcome.", topic="general", by=manager
    )
    services.handbook_section_create(
        site=site,
        heading="Refuse days",
        body="Bins go out on Tuesdays.",
        topic="refuse",
        by=manager,
    )
    people = [UserFactory(username=f"manager{n}", roles=["sites_manager"]) for n in range(PRINTS)]
    # The site's first edition, then more once one exists: every print gets its own number.
    for _ in range(2):
        results = _print_at_once(site, people)
        assert results == ["printed"] * PRINTS, results
    numbers = sorted(HandbookEdition.objects.filter(site=site).values_list("number", flat=True))
    assert numbers == list(range(1, 2 * PRINTS + 1))
