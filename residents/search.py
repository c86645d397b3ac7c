"""Searching the register: households by a person's name (any of their names, accents and
case ignored), date of birth, reference or postcode, for the household list and the post room."""

from datetime import date
from typing import Any

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from config.kernel.postcodes import postcode_normalise
from residents.models import Household, Person
from residents.models.households import FOLDED_NAMES
from residents.selectors import lead_name

# A term as a LIKE pattern matching it anywhere in a folded name: folded as the names are
# (residents_fold), then its wildcards and escape character made plain characters to find.
_CONTAINING = (
    r"'%%' || replace(replace(replace(residents_fold(%s), '\', '\\'), '%%', '\%%'), '_', '\_')"
    r" || '%%'"
)


def _households_named(terms: list[str], date_of_birth: date | None) -> list[int]:
    """The ids of the households (at most SEARCH_MATCH_CAP) with someone who has every term in
    one of their names (and that date of birth, when given).

    The people who have one of the names containing the longest term (those names found in
    `PersonName`, by its trigram index) come from the folded names' B-tree indexes alone:
    index-only scans, one for each kind of name, each index holding the other names, the date
    of birth and the household, so the other terms and the date are checked there and the
    person rows are not read. The statement is written here: the ORM took longer to build it
    than the database to run it."""
    at = max(range(len(terms)), key=lambda index: len(terms[index]))  # usually the fewest names
    driver, others = terms[at], terms[:at] + terms[at + 1 :]
    # Our own SQL throughout (S608): the terms and the date are parameters. The driver's names
    # are found once; the other terms are checked once, over the scans' people (OFFSET 0 keeps
    # the checks out of each scan, where each would be planned again). An empty name holds no
    # term, and saying so keeps the planner from reading every person for the names it cannot
    # see in advance (most people have no other names).
    names = f"SELECT folded FROM residents_personname WHERE folded LIKE {_CONTAINING}"  # noqa: S608
    columns = ", ".join(f"{name}_folded" for name in FOLDED_NAMES)
    scans = [
        f"SELECT household_id, {columns}, date_of_birth FROM residents_person"  # noqa: S608
        f" WHERE {name}_folded = ANY((SELECT names FROM driver)::text[]) AND {name}_folded <> ''"
        for name in FOLDED_NAMES
    ]
    checks = [
        "(" + " OR ".join(f"{name}_folded LIKE {_CONTAINING}" for name in FOLDED_NAMES) + ")"
        for _ in others
    ]
    params: list[Any] = [driver, *(term for term in others for _ in FOLDED_NAMES)]
    if date_of_birth:
        checks.append("date_of_birth = %s")
        params.append(date_of_birth)
    where = f"WHERE {' AND '.join(checks)}" if checks else ""
    sql = (
        f"WITH driver (names) AS (SELECT ARRAY({names})) SELECT DISTINCT household_id"  # noqa: S608
        f" FROM ({' UNION ALL '.join(scans)} OFFSET 0) AS people {where} LIMIT %s"
    )
    with connections[router.db_for_read(Person)].cursor() as cursor:
        cursor.execute(sql, [*params, SEARCH_MATCH_CAP])
        return [household_id for (household_id,) in cursor.fetchall()]


# A name search reads at most this many matching households (the page counts up to 1,000).
SEARCH_MATCH_CAP = 5000


def household_search(**criteria: Any) -> QuerySet[Household]:
    """Households matching every criterion given (`household_matches`, without the count)."""
    return household_matches(**criteria)[0]


def household_matches(
    *,
    name: str = "",
    reference: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
) -> tuple[QuerySet[Household], int | None]:
    """Households matching every criterion (a name and a date of birth: the same person's),
    with what the results table shows; and how many, when known without a query (None when
    not): a name or date of birth alone finds the households' ids first (SEARCH_MATCH_CAP)."""
    households = Household.objects.all()
    known: int | None = None
    terms = name.split()
    if terms or date_of_birth:
        # The matching households' ids first, then those households by their primary key: a
        # semi-join here let the planner scan every household instead.
        if terms:
            ids = _households_named(terms, date_of_birth)
        else:
            born = Person.objects.filter(date_of_birth=date_of_birth).order_by()
            ids = list(born.values_list("household_id", flat=True).distinct()[:SEARCH_MATCH_CAP])
        known = len(ids)
        # One array parameter, not a placeholder per id: a short statement however many match.
        array = RawSQL("%s::bigint[]", ("{" + ",".join(map(str, ids)) + "}",))
        households = households.filter(_AnyOf(F("pk"), array))
    if reference.strip():
        households = _reference_matches(households, reference.strip())
        known = None
    if postcode.strip():
        households = households.filter(postcode__istartswith=postcode_normalise(postcode))
        known = None
    return _with_summary(households).order_by("reference"), known


class _AnyOf(Func):
    """`pk = ANY(array)`: one parameter, the array's text, where IN has one per id."""

    arg_joiner, template, output_field = " = ANY(", "%(expressions)s)", BooleanField()


def _reference_matches(households: QuerySet[Household], term: str) -> QuerySet[Household]:
    """An exact reference by the unique B-tree index first (the usual case: it was read off a
    letter); otherwise any reference containing the term, by the trigram index."""
    exact = households.filter(reference=term.upper())
    if exact.exists():
        return exact
    return households.filter(reference__icontains=term)


def _with_summary(households: QuerySet[Household]) -> QuerySet[Household]:
    members = Person.objects.filter(household=OuterRef("pk")).order_by()
    return households.select_related("unit__site").annotate(
        person_count=Coalesce(
            Subquery(members.values("household").annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
        lead_name=lead_name(),
    )
