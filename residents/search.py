"""Searching the register: households by a person's name (any of their names, accents and
case ignored), date of birth, reference or postcode, for the household list and the post room."""

from datetime import date
from itertools import product
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
from residents.models.households import FOLDED_NAMES, NAME_PAIR
from residents.selectors import lead_name

# A term as a LIKE pattern matching it anywhere in a folded name: folded as the names are
# (residents_fold), then its wildcards and escape character made plain characters to find.
_CONTAINING = (
    r"'%%' || replace(replace(replace(residents_fold(%s), '\', '\\'), '%%', '\%%'), '_', '\_')"
    r" || '%%'"
)
_COLUMNS = ", ".join(f"{name}_folded" for name in FOLDED_NAMES)


# Looking up one name, or a pair of names (a first name with one term, a last name with the
# other), is a descent of an index, which costs about as much as reading this many people's
# index entries; and a search by pairs makes at most this many look-ups.
LOOKUP_COST = 16
LOOKUPS_MAX = 128


def _households_named(terms: list[str], date_of_birth: date | None) -> list[int]:
    """The ids of the households (at most SEARCH_MATCH_CAP) with someone who has every term in
    one of their names (and that date of birth, when given).

    Two terms or more: the names containing each term first (from `PersonName`, one query,
    with how many people have them); then, when the two rarest terms' names make few look-ups
    (`_lookups`: at most LOOKUPS_MAX, and cheaper than reading the rarest term's people by
    LOOKUP_COST), the people with both found by their pairs of names (`_households_paired`),
    otherwise those with the rarest term's names (`_households_driven`). One term, or a term
    that every name holds (it folds to nothing): the longest term drives."""
    if len(terms) > 1:
        found = _names_containing(terms)
        if not all(names for names, _ in found):
            return []  # a term in nobody's names
        if not any("" in names for names, _ in found):
            rarest = sorted(range(len(terms)), key=lambda at: found[at][1])
            (one, people), (two, _) = found[rarest[0]], found[rarest[1]]
            lookups = _lookups(one, two)
            if lookups <= LOOKUPS_MAX and lookups * LOOKUP_COST <= people:
                return _households_paired(one, two, [terms[at] for at in rarest[2:]], date_of_birth)
            return _households_driven(one, [terms[at] for at in rarest[1:]], date_of_birth)
    at = max(range(len(terms)), key=lambda index: len(terms[index]))
    return _households_driven(terms[at], terms[:at] + terms[at + 1 :], date_of_birth)


def _names_containing(terms: list[str]) -> list[tuple[list[str], int]]:
    """For each term, the folded names containing it (by `PersonName`'s trigram index) and how
    many people have them (a person with two of them counted twice): one query."""
    found = " UNION ALL ".join(
        f"SELECT {at}, array_agg(folded), sum(people) FROM residents_personname"  # noqa: S608
        f" WHERE folded LIKE {_CONTAINING}"
        for at in range(len(terms))
    )
    with connections[router.db_for_read(Person)].cursor() as cursor:
        cursor.execute(found, terms)
        rows = {at: (names or [], people or 0) for at, names, people in cursor.fetchall()}
    return [rows[at] for at in range(len(terms))]


def _lookups(one: list[str], two: list[str]) -> int:
    """How many index look-ups `_households_paired` makes for these names: a pair each way
    round of a name of one's alone and a name of two's alone, by the first name's index;
    each name of both's, by the first and by the last name's; each name, by the other
    names'."""
    shared = set(one) & set(two)
    alone = len(set(one) - shared) * len(set(two) - shared)
    return 2 * alone + 2 * len(shared) + len(set(one) | set(two))


def _households_paired(
    one: list[str], two: list[str], others: list[str], date_of_birth: date | None
) -> list[int]:
    """`_households_named` by two terms' names (`one`, `two`; none empty): the people with
    a name from each, straight from the folded names' indexes (index-only scans).

    A first or last name holding both terms: by that name. Otherwise a first name from one
    and a last name from the other, or the other way round: each such pair looked up by the
    first name's index (keyed by the first and last names), so only those people are read.
    Either's names in the other names (few people have any): by those. The other terms and
    the date of birth are checked over those people, as `_households_driven` checks them.
    Each set of names is a parameter once, in `names`, whose elements the planner does not
    weigh one by one (as it would an array constant's, however many); the pairs are a
    constant, their number known (a loop of look-ups, not a scan of everyone)."""
    both = set(one) & set(two)
    only = sorted(set(one) - both), sorted(set(two) - both)
    pairs = [*product(only[0], only[1]), *product(only[1], only[0])]  # (first, last)
    person = f"SELECT household_id, {_COLUMNS}, date_of_birth FROM residents_person"  # noqa: S608
    scans = [
        f"{person} WHERE {name}_folded = ANY((SELECT shared FROM names)::text[])"  # noqa: S608
        f" AND {name}_folded <> ''"
        for name in NAME_PAIR
        if both
    ]
    params: list[Any] = []
    if pairs:
        first, last = (f"{name}_folded" for name in NAME_PAIR)
        scans.append(
            f"{person} JOIN unnest(%s::text[], %s::text[]) AS pair (first_folded, last_folded)"
            f" ON {first} = pair.first_folded AND {last} = pair.last_folded WHERE {first} <> ''"
        )
        params += [[given for given, _ in pairs], [family for _, family in pairs]]
    holds = " AND ".join(
        "(" + " OR ".join(f"{name}_folded = ANY({names}::text[])" for name in FOLDED_NAMES) + ")"
        for names in ("(SELECT one FROM names)", "(SELECT two FROM names)")
    )
    scans += [
        f"{person} WHERE {name}_folded = ANY((SELECT either FROM names)::text[])"  # noqa: S608
        f" AND {name}_folded <> '' AND {holds}"
        for name in FOLDED_NAMES
        if name not in NAME_PAIR
    ]
    names = "WITH names (one, two, shared, either) AS MATERIALIZED"
    names += " (SELECT %s::text[], %s::text[], %s::text[], %s::text[]) "
    named = [one, two, sorted(both), sorted(set(one) | set(two))]
    return _households_of(scans, [*named, *params], others, date_of_birth, names)


def _households_driven(
    driver: str | list[str], others: list[str], date_of_birth: date | None
) -> list[int]:
    """`_households_named` by one term (`driver`: the term, its names found in `PersonName` by
    its trigram index; or its names, found already).

    The people who have one of its names come from the folded names' B-tree indexes alone:
    index-only scans, one for each kind of name, each index holding the other names, the
    date of birth and the household, so the other terms and the date are checked there and
    the person rows are not read. The statements are written here: the ORM took longer to
    build them than the database to run them."""
    names = (
        f"SELECT ARRAY(SELECT folded FROM residents_personname WHERE folded LIKE {_CONTAINING})"  # noqa: S608
        if isinstance(driver, str)
        else "SELECT %s::text[]"
    )
    # The driver's names are found once. An empty name holds no term, and saying so keeps the
    # planner from reading every person for the names it cannot see in advance (most people
    # have no other names).
    scans = [
        f"SELECT household_id, {_COLUMNS}, date_of_birth FROM residents_person"  # noqa: S608
        f" WHERE {name}_folded = ANY((SELECT names FROM driver)::text[]) AND {name}_folded <> ''"
        for name in FOLDED_NAMES
    ]
    return _households_of(
        scans, [driver], others, date_of_birth, f"WITH driver (names) AS ({names}) "
    )


def _households_of(
    scans: list[str],
    params: list[Any],
    others: list[str],
    date_of_birth: date | None,
    head: str = "",
) -> list[int]:
    """The households of the people the scans find who have the other terms in their names
    and that date of birth. Our own SQL throughout (S608): the terms, names and date are
    parameters. The other terms are checked once, over the scans' people (OFFSET 0 keeps the
    checks out of each scan, where each would be planned again)."""
    checks = [
        "(" + " OR ".join(f"{name}_folded LIKE {_CONTAINING}" for name in FOLDED_NAMES) + ")"
        for _ in others
    ]
    checked: list[Any] = [term for term in others for _ in FOLDED_NAMES]
    if date_of_birth:
        checks.append("date_of_birth = %s")
        checked.append(date_of_birth)
    where = f"WHERE {' AND '.join(checks)}" if checks else ""
    sql = (
        f"{head}SELECT DISTINCT household_id"  # noqa: S608
        f" FROM ({' UNION ALL '.join(scans)} OFFSET 0) AS people {where} LIMIT %s"
    )
    with connections[router.db_for_read(Person)].cursor() as cursor:
        cursor.execute(sql, [*params, *checked, SEARCH_MATCH_CAP])
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
