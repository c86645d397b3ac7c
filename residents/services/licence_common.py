"""What the licence services share: the reference sequence, the locked read, the save that
lets the database's exclusion constraint have the last word, and the overlap check."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from config.kernel.records import REASON_MAX_LENGTH, history_stamp, save
from residents.models import Licence

CONSTRAINT_ONE_LIVE_LICENCE = "one_live_licence_per_unit"


def licence_reference_next(prefix: str = "L") -> str:
    """L-000123 (a licence) or T-000123 (a tenancy): the next number from one database
    sequence, skipping any reference in use."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('residents_licence_reference_seq')")
            reference = f"{prefix}-{cursor.fetchone()[0]:06d}"
            if not Licence.objects.filter(reference=reference).exists():
                return reference


def licence_locked(licence: Licence) -> Licence:
    return (
        Licence.objects.select_for_update()
        .select_related("unit__site", "household")
        .get(pk=licence.pk)
    )


def licence_save(licence: Licence, *, by, reason: str) -> None:
    """Save a licence; the database's exclusion constraint has the last word on overlaps."""
    history_stamp(licence, by=by, reason=reason[:REASON_MAX_LENGTH])
    licence.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            licence.save()
    except IntegrityError as error:
        if CONSTRAINT_ONE_LIVE_LICENCE in str(error):
            raise ValidationError(
                f"{licence.unit} already has a live licence for some of these dates: "
                "only one licence can run on a unit at a time.",
                code="overlapping_licence",
            ) from None
        raise


def licence_overlapping(licence: Licence) -> Licence | None:
    others = Licence.objects.filter(
        unit_id=licence.unit_id, status__in=[Licence.Status.SIGNED, Licence.Status.LIVE]
    )
    others = others.exclude(pk=licence.pk).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=licence.start_date)
    )
    if licence.end_date:
        others = others.filter(start_date__lt=licence.end_date)
    return others.first()


def licence_documents_supersede(licence: Licence, *, by) -> None:
    """The agreement changed: its documents no longer say what it is."""
    for document in licence.documents.filter(superseded_at__isnull=True):
        document.superseded_at = timezone.now()
        save(document, by=by, reason="Agreement changed: document superseded")
