"""Every write to households and people: validated, atomic, and recorded with who and why."""

import calendar
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from config.kernel.postcodes import postcode_normalise
from config.kernel.records import reason_required, save
from residents import selectors
from residents.models import (
    Household,
    Person,
    SpecialCategoryView,
)
from residents.services.common import fields_check

HOUSEHOLD_FIELDS = {
    "reference",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "preferred_contact",
    "interpreter_needed",
    "interpreter_language",
    "literacy_support",
    "easy_read",
    "large_print",
    "unit",
    "notes",
}
PERSON_FIELDS = {
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "relationship",
    "sex",
    "partner",
    "couple_from",
    "pregnancy_due_date",
    "pregnancy_evidence",
    "ethnicity",
    "gypsy_traveller_status",
    "health_notes",
    "special_category_basis",
}
# The lead applicant is recorded with the household, before anyone else is in it.
LEAD_FIELDS = PERSON_FIELDS - {"relationship", "partner", "couple_from"}


EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)
DUE_DATE_MONTHS_AHEAD = 10  # a pregnancy is confirmed some weeks in: 10 months is the most
DUE_DATE_MONTHS_PAST = 1  # after that, the baby is born (or the record is stale)


class PossibleDuplicates(ValidationError):
    """The person typed in may already be recorded: the officer must look and confirm."""

    def __init__(self, people: Iterable[Person]):
        self.people = list(people)
        super().__init__(
            "These people may already be recorded. Check them, then tick to confirm "
            "this is a different person.",
            code="possible_duplicate",
        )


def _months_from(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _tidy_household(fields: dict[str, Any]) -> None:
    if fields.get("postcode"):
        fields["postcode"] = postcode_normalise(fields["postcode"])
    if "interpreter_needed" in fields and not fields["interpreter_needed"]:
        fields["interpreter_language"] = ""


def _next_reference() -> str:
    """H-000123: the next number from a database sequence, skipping any reference in use."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('residents_household_reference_seq')")
            reference = f"H-{cursor.fetchone()[0]:06d}"
            if not Household.objects.filter(reference=reference).exists():
                return reference


def _person_rule_errors(person: Person, *, due_date_changed: bool) -> dict[str, str]:
    today = timezone.localdate()
    errors = {}
    if person.date_of_birth:
        if person.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif person.date_of_birth < EARLIEST_DATE_OF_BIRTH:
            errors["date_of_birth"] = "Date of birth must be on or after 1 January 1900"
    due = person.pregnancy_due_date
    if due and due_date_changed:
        if due > _months_from(today, DUE_DATE_MONTHS_AHEAD):
            errors["pregnancy_due_date"] = (
                f"The due date must be within the next {DUE_DATE_MONTHS_AHEAD} months"
            )
        elif due < _months_from(today, -DUE_DATE_MONTHS_PAST):
            errors["pregnancy_due_date"] = (
                "The due date must be no more than 1 month ago: if the baby has been born, "
                "add them to the household and clear the due date"
            )
    if person.relationship == Person.Relationship.LEAD and person.household_id:
        other_lead = (
            Person.objects.filter(
                household_id=person.household_id, relationship=Person.Relationship.LEAD
            )
            .exclude(pk=person.pk)
            .first()
        )
        if other_lead:
            errors["relationship"] = (
                f"This household already has a lead applicant ({other_lead}): "
                "change their relationship first"
            )
    partner = person.partner
    if partner is not None:
        if person.pk is not None and partner.pk == person.pk:
            errors["partner"] = "A person cannot be their own partner"
        elif partner.household_id != person.household_id:
            errors["partner"] = "The partner must be in the same household"
        elif partner.partner_id not in (None, person.pk):
            errors["partner"] = (
                f"{partner} already has a partner recorded ({partner.partner}): change that first"
            )
    return errors


def _validate_person(person: Person, *, due_date_changed: bool, exclude=None) -> None:
    """The service's rules and the model's own checks, reported together."""
    if not person.pregnancy_due_date:
        person.pregnancy_evidence = ""  # evidence of a pregnancy no longer recorded
    errors = {
        field: [message]
        for field, message in _person_rule_errors(person, due_date_changed=due_date_changed).items()
    }
    try:
        # The constraints are checked on save, after the rules have given their plainer words.
        person.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        known = errors.setdefault(field, [])
        known.extend(message for message in messages if message not in known)


def _duplicates_check(person: Person, not_duplicate_of: Collection[int]) -> None:
    duplicates = [
        duplicate
        for duplicate in selectors.possible_duplicates(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            exclude_pk=person.pk,
        )
        if duplicate.pk not in set(not_duplicate_of)
    ]
    if duplicates:
        raise PossibleDuplicates(duplicates)


def _partners_link(person: Person, *, previous_partner_id: int | None, by, reason: str) -> None:
    """Keep the partner link the same both ways: a couple shares a bedroom."""
    if person.partner_id == previous_partner_id:
        return
    # Anyone else still pointing at this person is no longer their partner.
    for former in (
        Person.objects.select_for_update().filter(partner=person).exclude(pk=person.partner_id)
    ):
        former.partner = None
        save(former, by=by, reason=reason)
    if person.partner_id:
        partner = Person.objects.select_for_update().get(pk=person.partner_id)
        if partner.partner_id != person.pk:
            partner.partner = person
            save(partner, by=by, reason=reason)


@transaction.atomic
def household_create(
    *,
    by: AbstractBaseUser,
    lead: dict[str, Any],
    not_duplicate_of: Collection[int] = (),
    reason: str = "New household recorded",
    **fields: Any,
) -> Household:
    """Record a household with its lead applicant, in one go.

    `not_duplicate_of` lists people the officer has looked at and confirmed are not the lead
    applicant; anyone else with the same names and date of birth stops the save.
    """
    fields_check(fields, HOUSEHOLD_FIELDS)
    fields_check(lead, LEAD_FIELDS)
    _tidy_household(fields)
    household = Household(**fields)
    if not household.reference:
        household.reference = _next_reference()
    lead_person = Person(household=household, relationship=Person.Relationship.LEAD, **lead)
    # Every problem with the household and its lead applicant at once, not one at a time.
    errors: dict[str, list[str]] = {}
    try:
        household.full_clean()
    except ValidationError as error:
        _merge(errors, error)
    try:
        _validate_person(lead_person, due_date_changed=True, exclude=["household"])
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    _duplicates_check(lead_person, not_duplicate_of)
    save(household, by=by, reason=reason)
    lead_person.household = household
    save(lead_person, by=by, reason=reason)
    return household


@transaction.atomic
def household_update(
    *, household: Household, by: AbstractBaseUser, reason: str, **fields: Any
) -> Household:
    fields_check(fields, HOUSEHOLD_FIELDS)
    reason = reason_required(reason)
    _tidy_household(fields)
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value)
    if not household.reference:
        raise ValidationError({"reference": "Enter the household reference"})
    save(household, by=by, reason=reason)
    return household


@transaction.atomic
def person_add(
    *,
    household: Household,
    by: AbstractBaseUser,
    not_duplicate_of: Collection[int] = (),
    reason: str = "Person added to the household",
    **fields: Any,
) -> Person:
    fields_check(fields, PERSON_FIELDS)
    # One person added at a time per household, so two leads cannot slip in side by side.
    household = Household.objects.select_for_update().get(pk=household.pk)
    person = Person(household=household, **fields)
    _validate_person(person, due_date_changed=True)
    _duplicates_check(person, not_duplicate_of)
    save(person, by=by, reason=reason)
    _partners_link(person, previous_partner_id=None, by=by, reason=reason)
    return person


@transaction.atomic
def person_update(*, person: Person, by: AbstractBaseUser, reason: str, **fields: Any) -> Person:
    fields_check(fields, PERSON_FIELDS)
    reason = reason_required(reason)
    Household.objects.select_for_update().get(pk=person.household_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous_partner_id = person.partner_id
    previous_due_date = person.pregnancy_due_date
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person, due_date_changed=person.pregnancy_due_date != previous_due_date)
    # The old partner lets go first, so that no one is briefly anyone's second partner.
    if previous_partner_id and previous_partner_id != person.partner_id:
        former = Person.objects.select_for_update().get(pk=previous_partner_id)
        if former.partner_id == person.pk:
            former.partner = None
            save(former, by=by, reason=reason)
    save(person, by=by, reason=reason)
    _partners_link(person, previous_partner_id=previous_partner_id, by=by, reason=reason)
    return person


def special_category_views_record(
    *,
    people: Iterable[Person],
    user: AbstractBaseUser,
    fields: Iterable[str],
    where: str,
    with_insert: tuple[str, Sequence] | None = None,
) -> None:
    """Log that `user` was shown these special-category fields of each person: one INSERT
    of a row per person, nothing read back, no history (the log is the record).

    `with_insert` (SQL and parameters, e.g. config.changelog.record_viewed_insert) is made in
    the same statement, as a data-modifying WITH: one round trip and one commit for both."""
    ids = [person.pk for person in people]
    if not ids and with_insert is None:
        return
    quote = connection.ops.quote_name
    meta = SpecialCategoryView._meta
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("person", "user", "fields", "where", "viewed_at")
    )
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        "SELECT unnest(%s::bigint[]), %s, %s, %s, %s"
    )
    params: list = [ids, user.pk, sorted(fields), where, timezone.now()]
    if with_insert is not None:
        sql = f"WITH viewed AS ({with_insert[0]}) {sql}"
        params = [*with_insert[1], *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
