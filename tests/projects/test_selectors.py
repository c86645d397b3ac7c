from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.context_processors import menu_forget
from projects import services
from projects.models import WorkItem
from projects.selectors import work_queue
from tests.factories import SiteFactory, UnitFactory, UserFactory
from tests.projects.factories import task

pytestmark = pytest.mark.django_db


def _item(user, *, days=0, kind="check_overdue", about=None, role=None, key=None):
    return services.work_item_create(
        kind=kind,
        title=f"{kind} {days}",
        due=timezone.localdate() + timedelta(days=days),
        about=about,
        assignee=None if role else user,
        role=role,
        source_key=key,
        by=user,
    )


def test_the_queue_holds_what_is_due_for_me_or_my_role_and_nothing_else(officer):
    mine = _item(officer, days=-2)
    for_my_role = _item(officer, days=0, role="officer", kind="offer_response")
    _item(officer, days=30)  # too far off
    _item(UserFactory(roles=["officer"]), days=0)  # someone else's
    done = _item(officer, days=0)
    services.work_item_complete(item=done, by=officer)
    queue = work_queue(officer)
    assert [item.pk for item in queue.items] == [mine.pk, for_my_role.pk]
    assert queue.overdue == 1
    assert {row["kind"]: (row["count"], row["overdue"]) for row in queue.counts} == {
        "check_overdue": (1, 1),
        "offer_response": (1, 0),
    }


def test_the_queue_sorts_by_due_date_either_way(officer):
    early, late = _item(officer, days=-1), _item(officer, days=3)
    assert [i.pk for i in work_queue(officer, sort="due").items] == [early.pk, late.pk]
    assert [i.pk for i in work_queue(officer, sort="-due").items] == [late.pk, early.pk]


def _queries(user) -> int:
    # A fresh user, as each request has: permissions are cached on the user object, and the
    # queue asks them (rows follow the reader's permissions).
    user = type(user).objects.get(pk=user.pk)
    menu_forget(user)  # and the permissions kept in the cache: each count asks for them
    with CaptureQueriesContext(connection) as queries:
        queue = work_queue(user)
        [item.record_url for item in queue.items]
    return len(queries)


def test_the_queue_takes_the_same_number_of_queries_for_1_or_50_items(officer):
    _item(officer, about=SiteFactory())
    one = _queries(officer)
    for n in range(49):
        _item(officer, days=n % 7, about=SiteFactory() if n % 2 else UnitFactory())
    _item(officer, about=UnitFactory())
    queue, second = work_queue(officer), work_queue(officer, page=2)
    assert (len(queue.items), len(second.items), queue.page_obj.paginator.count) == (25, 25, 51)
    open_items = WorkItem.objects.filter(assignee=officer, status=WorkItem.Status.OPEN)
    third = work_queue(officer, page=3).items
    assert {item.pk for item in queue.items + second.items + third} == set(
        open_items.values_list("pk", flat=True)
    )
    assert _queries(officer) == one  # links are stored on the items: no query per kind


def test_the_team_queue_has_every_officers_work_and_overdue_counts(team_leader):
    first = UserFactory(roles=["officer"], first_name="Ann", last_name="A")
    second = UserFactory(roles=["officer"], first_name="Ben", last_name="B")
    task(assignee=first, due=timezone.localdate() - timedelta(days=1))
    task(assignee=second)
    _item(team_leader, days=0)  # team leaders take work too: it is the team's (issue 12)
    queue = work_queue(team_leader, include_team=True)
    assert len(queue.items) == 3 and queue.overdue == 1
    counts = {p.pk: (p.open_count, p.overdue_count) for p in queue.people}
    assert counts == {first.pk: (1, 1), second.pk: (1, 0), team_leader.pk: (1, 0)}


def test_a_deactivated_officers_open_work_stays_in_the_team_queue_to_be_reassigned(
    team_leader,
):
    leaver = UserFactory(roles=["officer"], first_name="Lee", last_name="Vaughan")
    left = task(assignee=leaver, due=timezone.localdate() - timedelta(days=1))
    # Their role taken away and the account deactivated: their own queue is out of reach.
    leaver.groups.clear()
    leaver.is_active = False
    leaver.save()
    queue = work_queue(team_leader, include_team=True)
    assert [item.pk for item in queue.items] == [left.pk] and queue.overdue == 1
    counts = {p.pk: (p.open_count, p.overdue_count) for p in queue.people}
    assert counts[leaver.pk] == (1, 1)
