"""Searching the register: households by a person's name (any of their names, accents and
case ignored), date of birth, reference or postcode, for the household list and the post room."""

from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from config.kernel.postcodes import postcode_normalise
from residents.models import Folded, Household, Person
from residents.selectors import lead_name


def _name_matches(term: str) -> Q:
    # Accent- and case-insensitive substring match on any of a person's names: the term is
    # folded by residents_fold and matched against the stored folded names, by their trigram
    # indexes (the index's recheck reads the stored column instead of folding each name).
    folded = Folded(Value(term))
    return (
        Q(first_name_folded__contains=folded)
        | Q(last_name_folded__contains=folded)
        | Q(other_names_folded__contains=folded)
    )


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
        people = Person.objects.all()
        for term in terms:
            people = people.filter(_name_matches(term))
        if date_of_birth:
            people = people.filter(date_of_birth=date_of_birth)
        # The matching households' ids first (by the trigram indexes), then those households by
        # their primary key: a semi-join here let the planner scan every household instead.
        ids = list(
            people.order_by().values_list("household_id", flat=True).distinct()[:SEARCH_MATCH_CAP]
        )
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
