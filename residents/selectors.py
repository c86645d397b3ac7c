import re
from datetime import date

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from residents.models import (
    Folded,
    Household,
    Licence,
    LicenceOccupant,
    Person,
    SpecialCategoryView,
)

FULL_POSTCODE_WITHOUT_SPACE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


def postcode_normalise(postcode: str) -> str:
    """nr12ab, NR1  2AB and NR1 2AB are all NR1 2AB; a part postcode is only tidied."""
    words = postcode.upper().split()
    if len(words) == 1 and FULL_POSTCODE_WITHOUT_SPACE.fullmatch(words[0]):
        return f"{words[0][:-3]} {words[0][-3:]}"  # the inward code is always the last three
    return " ".join(words)


def _name_matches(term: str) -> Q:
    # Accent- and case-insensitive substring match on any of a person's names; each side is
    # folded by residents_fold, so the trigram indexes on the folded names are used.
    folded = Folded(Value(term))
    return (
        Q(first_name_folded__contains=folded)
        | Q(last_name_folded__contains=folded)
        | Q(other_names_folded__contains=folded)
    )


def household_search(
    *,
    name: str = "",
    reference: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
) -> QuerySet[Household]:
    """Households matching every criterion given, with what the results table shows.

    A name and a date of birth must both belong to the same person. The number of people and
    the lead applicant's name are subqueries, so a page costs the same whatever its length.
    """
    households = Household.objects.all()
    terms = name.split()
    if terms or date_of_birth:
        people = Person.objects.all()
        if terms:
            people = people.alias(
                first_name_folded=Folded("first_name"),
                last_name_folded=Folded("last_name"),
                other_names_folded=Folded("other_names"),
            )
            for term in terms:
                people = people.filter(_name_matches(term))
        if date_of_birth:
            people = people.filter(date_of_birth=date_of_birth)
        households = households.filter(pk__in=people.values("household_id"))
    if reference.strip():
        households = households.filter(reference__icontains=reference.strip())
    if postcode.strip():
        households = households.filter(postcode__istartswith=postcode_normalise(postcode))
    return _with_summary(households).order_by("reference")


def _with_summary(households: QuerySet[Household]) -> QuerySet[Household]:
    members = Person.objects.filter(household=OuterRef("pk")).order_by()
    return households.select_related("unit__site").annotate(
        person_count=Coalesce(
            Subquery(members.values("household").annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
        lead_name=Subquery(
            members.filter(relationship=Person.Relationship.LEAD)
            .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
            .values("full_name")[:1]
        ),
    )


def household_get_queryset() -> QuerySet[Household]:
    return Household.objects.select_related("unit__site")


def household_people(*, household: Household) -> QuerySet[Person]:
    """The household's people: the lead applicant first, then oldest to youngest."""
    return (
        household.people.select_related("partner")
        .annotate(
            lead_first=Case(
                When(relationship=Person.Relationship.LEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("lead_first", "date_of_birth", "pk")
    )


def person_get_queryset() -> QuerySet[Person]:
    return Person.objects.select_related("household", "partner")


def possible_duplicates(
    *, first_name: str, last_name: str, date_of_birth: date, exclude_pk: int | None = None
) -> QuerySet[Person]:
    """People already recorded with the same names (ignoring case and accents) and birthday."""
    people = Person.objects.filter(
        date_of_birth=date_of_birth,
        first_name__unaccent__iexact=first_name.strip(),
        last_name__unaccent__iexact=last_name.strip(),
    )
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    return people.select_related("household").order_by("household__reference", "pk")


def special_category_view_list() -> QuerySet[SpecialCategoryView]:
    return SpecialCategoryView.objects.select_related("person__household", "user")


def licence_search(*, q: str = "", status: str = "") -> QuerySet:
    """Licences matching a licence or household reference (part of one will do) and status,
    with what the list shows joined in."""
    from residents.models import Licence, LicenceOccupant

    licences = Licence.objects.select_related("unit__site", "household")
    if q.strip():
        term = q.strip()
        licences = licences.filter(
            Q(reference__icontains=term) | Q(household__reference__icontains=term)
        )
    if status:
        licences = licences.filter(status=status)
    holder = (
        LicenceOccupant.objects.filter(
            licence=OuterRef("pk"), role=LicenceOccupant.Role.HOLDER, to_date__isnull=True
        )
        .order_by("pk")
        .annotate(name=Concat("person__first_name", Value(" "), "person__last_name"))
        .values("name")[:1]
    )
    return licences.annotate(holder_name=Subquery(holder)).order_by("-start_date", "reference")


def licence_detail_queryset() -> QuerySet:
    from residents.models import Licence

    return Licence.objects.select_related("unit__site", "household", "written_statement_given_by")


def licence_holders(licence: Licence) -> list[LicenceOccupant]:
    return [
        named
        for named in licence.occupants.select_related("person").filter(to_date__isnull=True)
        if named.role == LicenceOccupant.Role.HOLDER
    ]
