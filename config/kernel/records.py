"""Saving a record with its history, and the reason every change must give; a save beaten to
the same name or key by someone else at the same moment, refused in words."""

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, connection, models, transaction

# The longest reason anyone may give, everywhere (forms use the same number).
REASON_MAX_LENGTH = 500
REASON_MISSING = "Enter the reason for this change"
REASON_TOO_LONG = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"


def reason_required(reason: str | None) -> str:
    """The reason, stripped; refused when blank or too long (on the form's `reason` field)."""
    stripped = (reason or "").strip()
    if not stripped:
        raise ValidationError({"reason": ValidationError(REASON_MISSING, code="required")})
    if len(stripped) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": ValidationError(REASON_TOO_LONG, code="max_length")})
    return stripped


def history_stamp(instance: models.Model, *, by: AbstractBaseUser | None, reason: str) -> None:
    """Name who made the next change and why: django-simple-history writes them on save."""
    instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def save(
    instance: models.Model,
    *,
    by: AbstractBaseUser | None,
    reason: str,
    exclude: Collection[str] | None = None,
    database_checks: bool = True,
) -> None:
    """Validate and save a record, its history row naming `by` and `reason`.

    `database_checks=False` leaves uniqueness and the model's constraints to the database
    alone (Django asks it one query for each): only for a change made by the system, not typed
    by anyone, that cannot break them, so there is no message to give a person."""
    history_stamp(instance, by=by, reason=reason)
    instance.full_clean(
        exclude=exclude, validate_unique=database_checks, validate_constraints=database_checks
    )
    instance.save()


# What a person is told when a save is refused: anything ValidationError takes (a message,
# one with its code, or field -> message so it shows on the form's field).
Refusal = str | ValidationError | dict[str, Any]
# Each constraint's refusal, or a function giving it once the clash is known (to read what
# the other save wrote, or to build a message only when it is needed).
Refusals = Mapping[str, Refusal | Callable[[], Refusal]]


@contextmanager
def unique_refusals(model: type[models.Model], refusals: Refusals) -> Iterator[None]:
    """Run a save inside a savepoint; refused by one of the `refusals`' constraints, nothing
    of it is written and that constraint's refusal is raised as a ValidationError.

    For the moment a service's checks cannot see: someone else saved the same name or key at
    the same moment, after this save's own checks passed, and the database's unique (or
    exclusion) constraint refuses the second. Any other IntegrityError is raised unchanged:
    it is a fault, not something to tell a person.

    `refusals` is keyed by a constraint's name (the model's `Meta.constraints`) or by the name
    of a field declared `unique=True`, whose constraint PostgreSQL names itself."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        refused_by = _constraint_refusing(error, model, refusals)
        if refused_by is None:
            raise
        refusal = refusals[refused_by]
        raise ValidationError(refusal() if callable(refusal) else refusal) from error


def save_unique(
    instance: models.Model,
    *,
    by: AbstractBaseUser | None,
    reason: str,
    refusals: Refusals,
    exclude: Collection[str] | None = None,
    database_checks: bool = True,
) -> None:
    """`save`, with a name or key someone else saved at the same moment refused as
    `unique_refusals` says (the form's message, nothing written), not a server error."""
    with unique_refusals(type(instance), refusals):
        save(instance, by=by, reason=reason, exclude=exclude, database_checks=database_checks)


def _constraint_refusing(
    error: IntegrityError, model: type[models.Model], refusals: Refusals
) -> str | None:
    """The key in `refusals` of the constraint that refused the save, if it is one of them."""
    diagnostic = getattr(error.__cause__, "diag", None)
    constraint = getattr(diagnostic, "constraint_name", None)
    if not constraint:
        return None
    if constraint in refusals:
        return constraint
    table = getattr(diagnostic, "table_name", None)
    for name in refusals:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field) or not field.unique:
            continue
        if field.model._meta.db_table != table:
            continue
        # Only on a clash, so the one query is rarely asked.
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table).get(constraint)
        if found and found["unique"] and found["columns"] == [field.column]:
            return name
    return None
