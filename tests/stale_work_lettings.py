"""Scenarios for tests/test_stale_work.py: direct lets and nominations (issue 14)."""

from datetime import date

from allocations import services as allocations
from allocations.models import BiddingCycle, Vacancy
from allocations.services import nominations
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.allocations.nominations import provider, provider_home_shortlisted, provider_staff


def direct_let_approval(p):
    # An officer's proposal waits in the team leaders' queue; a team leader (not the
    # proposer) deciding it closes the work.
    direct_let = allocations.direct_let_propose(
        vacancy=VacancyFactory(status=Vacancy.Status.ADVERTISED),
        application=ActiveApplicationFactory(),
        reason="emergency",
        details="Fleeing domestic abuse: needs a home away from the current area",
        by=p.officer,
    )
    return lambda: allocations.direct_let_decide(
        direct_let=direct_let,
        approve=False,
        reason="Not an emergency: the household can bid",
        by=p.team_leader,
    )


def direct_let_lapsing(p):
    # An approved direct let waits in the officers' queue until its offer is made; closing it
    # (as lapsing does) closes the work too.
    direct_let = allocations.direct_let_propose(
        vacancy=VacancyFactory(status=Vacancy.Status.ADVERTISED),
        application=ActiveApplicationFactory(),
        reason="decant",
        details="The block is to be demolished",
        by=p.officer,
    )
    allocations.direct_let_decide(
        direct_let=direct_let, approve=True, reason="Decant agreed", by=p.team_leader
    )
    return lambda: allocations.direct_let_close(
        direct_let=direct_let, reason="Housed elsewhere", by=p.officer
    )


def _nominated(p):
    vacancy, _entries = provider_home_shortlisted(p.officer, provider(), bidders=1)
    return nominations.nomination_next(vacancy=vacancy, by=p.officer)


def nomination_answer(p):
    # The provider's answer is due from the moment of the nomination; its answer closes it.
    nomination = _nominated(p)
    staff = provider_staff(nomination.provider)
    return lambda: nominations.nomination_accept(
        nomination=nomination, answered_by="Priya Nair", by=staff
    )


def nomination_review(p):
    # A provider's rejection waits for the officer's review; accepting it closes the work
    # (nobody else on the shortlist: no further nomination).
    nomination = _nominated(p)
    staff = provider_staff(nomination.provider)
    nominations.nomination_reject(
        nomination=nomination,
        reason="other",
        detail="The home's stairs do not suit the household",
        answered_by="Priya Nair",
        by=staff,
    )
    return lambda: nominations.nomination_rejection_accept(
        nomination=nomination, note="The reason is sound", by=p.officer
    )


def cycle_not_closed(p):
    # A cycle past its close that cannot close (carried over from before any lettings policy,
    # so nothing to rank its adverts under) waits in the team leaders' queue; once its advert
    # is withdrawn, the next scheduled run closes it and the work is done.
    from config.history import system_user
    from tests.allocations.cbl import draft_advert, uk

    cycle = BiddingCycle.objects.create(
        reference="C-2024-03-21",
        opens_at=uk(2024, 3, 21, 0, 0),
        closes_at=uk(2024, 3, 25, 23, 59, 59),
    )
    stuck = draft_advert(p.officer)
    Vacancy.objects.filter(pk=stuck.pk).update(
        cycle=cycle, status=Vacancy.Status.ADVERTISED, opens_on=date(2024, 3, 21),
        closes_on=date(2024, 3, 25),
    )  # fmt: skip
    allocations.cycles_close_due(by=system_user())

    def withdrawn_and_closed():
        allocations.vacancy_withdraw(vacancy=stuck, reason="No policy to rank it", by=p.officer)
        allocations.cycles_close_due(by=system_user())

    return withdrawn_and_closed
