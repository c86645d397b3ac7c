from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse

from config.kernel.inputs import query_id
from config.kernel.lifecycle import Action
from config.roles import BUSINESS_SUPPORT
from residents.lifecycles import BREACH, LICENCE, UNAUTHORISED_OCCUPANT
from residents.models import (
    Breach,
    HandbookEdition,
    HandbookIssue,
    HandbookSection,
    Household,
    Licence,
    LicenceDocument,
    LicenceEvidence,
    LicenceOccupant,
    LicenceSigning,
    MeterReading,
    NewResidentVisit,
    Person,
    SpecialCategoryView,
    UnauthorisedOccupant,
)
from sites.models import Site


def lead_name(household_path: str = "pk") -> Subquery:
    """The household's lead applicant's name, as an annotation for any record that leads to
    a household (`household_path` from it, for example "application__household")."""
    return Subquery(
        Person.objects.filter(household=OuterRef(household_path), relationship="lead")
        .order_by()
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .values("full_name")[:1]
    )


def household_name(household: Household) -> str:
    """The household as pages and messages name it: its lead applicant's name with its
    reference ("Mary Smith (H-000123)"), the reference alone when no lead is recorded."""
    lead = household.people.filter(relationship=Person.Relationship.LEAD).first()
    return f"{lead} ({household.reference})" if lead else household.reference


def named_household(household_path: str) -> Coalesce:
    """A list's household as pages name it, "Mary Smith (H-000123)" (the reference alone when
    no lead is recorded), annotated from `household_path` ("application__household"): one
    query for the whole list, where `household_name` is one per row."""
    lead = Person.objects.filter(
        household=OuterRef(household_path), relationship=Person.Relationship.LEAD
    ).annotate(
        named=Concat(
            "first_name",
            Value(" "),
            "last_name",
            Value(" ("),
            "household__reference",
            Value(")"),
            output_field=CharField(),
        )
    )
    return Coalesce(
        Subquery(lead.values("named")[:1]),
        F(f"{household_path}__reference"),
        output_field=CharField(),
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


def special_category_view_list(
    *, household_reference: str = "", user_id: int | None = None
) -> QuerySet[SpecialCategoryView]:
    """The log of showings, newest first: of one household's people, to one person, or all."""
    views = SpecialCategoryView.objects.select_related("person__household", "user")
    if household_reference:
        views = views.filter(person__household__reference__iexact=household_reference)
    if user_id is not None:
        views = views.filter(user_id=user_id)
    return views


def licence_search(*, q: str = "", status: str = "") -> QuerySet:
    """Licences matching a licence or household reference (part of one will do) and status,
    with what the list shows joined in."""
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
    return Licence.objects.select_related(
        "unit__site",
        "household",
        "written_statement_given_by",
        "holder_died",
        "succeeds__holder_died",
    )


def licence_holders(licence: Licence | None) -> list[LicenceOccupant]:
    """The people who hold the licence now (the census and the signing read these too); none
    where there is no licence."""
    if licence is None:
        return []
    return list(
        licence.occupants.filter(
            role=LicenceOccupant.Role.HOLDER, to_date__isnull=True
        ).select_related("person")
    )


def licence_holder_names(licence: Licence) -> str:
    """The licence holders by name, as officers and the sites manager know them (a licence
    reference and a pitch alone name no one); the licence's reference when no holder is
    recorded."""
    names = [str(named.person) for named in licence_holders(licence)]
    return " and ".join(names) or f"licence {licence.reference}"


def household_licences(*, household: Household) -> list[Licence]:
    return list(household.licences.select_related("unit__site"))


def licence_current_document(licence: Licence, kind: str) -> LicenceDocument | None:
    """The document of this kind that describes the licence as it stands (not superseded)."""
    return (
        licence.documents.filter(kind=kind, superseded_at__isnull=True)
        .order_by("-requested_at", "-pk")
        .first()
    )


def licence_live_elsewhere(licence: Licence) -> Licence | None:
    """The household's live licence on another unit: signing this one is then a transfer."""
    return (
        Licence.objects.filter(household_id=licence.household_id, status=Licence.Status.LIVE)
        .exclude(pk=licence.pk)
        .exclude(unit_id=licence.unit_id)
        .select_related("unit__site")
        .first()
    )


def licence_occupant_queryset() -> QuerySet[LicenceOccupant]:
    return LicenceOccupant.objects.select_related("licence", "person")


def licence_document_queryset() -> QuerySet[LicenceDocument]:
    return LicenceDocument.objects.select_related("licence")


def licence_evidence_queryset() -> QuerySet[LicenceEvidence]:
    return LicenceEvidence.objects.select_related("licence")


def unauthorised_occupant_queryset() -> QuerySet[UnauthorisedOccupant]:
    return UnauthorisedOccupant.objects.select_related("unit__site")


def licence_available_actions(
    licence: Licence, user: AbstractBaseUser, *, documents_prepared: bool
) -> list[Action]:
    """The buttons the licence (or tenancy) page offers this user now (residents/predicates.py)."""
    word = licence.agreement_word
    tenancy = licence.is_tenancy
    actions = []
    if user.has_perm("residents.prepare_licence", licence):
        if tenancy:
            prepare = "Prepare the tenancy agreement"
        else:
            prepare = "Prepare the written statement and agreement"
        actions.append(
            Action(
                "Prepare the documents again" if documents_prepared else prepare,
                reverse("residents:licence-documents", args=[licence.pk]),
            )
        )
        if not tenancy:
            actions.append(
                Action(
                    "Record the written statement as given",
                    reverse("residents:licence-statement", args=[licence.pk]),
                    method="get",
                    style="secondary",
                )
            )
    if (
        not tenancy
        and user.has_perm("residents.prepare_licence", licence)
        and licence.short_notice_consent_on is None
    ):
        actions.append(
            Action(
                "Record written consent to less than 28 days",
                reverse("residents:licence-consent", args=[licence.pk]),
                method="get",
                style="secondary",
            )
        )
    if user.has_perm("residents.sign_this_licence", licence):
        actions.append(
            Action(
                f"Record the {word} as signed",
                reverse("residents:licence-sign", args=[licence.pk]),
                method="get",
                style="secondary",
            )
        )
    if user.has_perm("residents.review_introductory_tenancy", licence):
        actions.append(
            Action(
                "Review the introductory period",
                reverse("residents:introductory-review", args=[licence.pk]),
                method="get",
                style="secondary",
            )
        )
    if not tenancy and user.has_perm("residents.report_breach", licence):
        actions.append(
            Action(
                "Report a breach",
                reverse("residents:breach-create", args=[licence.pk]),
                method="get",
                style="secondary",
            )
        )
    # A flexible tenancy's or a transit stay's fixed term is known from the start; it may
    # still end sooner.
    fixed = tenancy or licence.is_transit
    open_ended = not licence.end_date or (
        fixed and licence.end_reason == Licence.EndReason.FIXED_TERM
    )
    if user.has_perm("residents.end_this_licence", licence) and open_ended:
        if not licence.is_transit:  # a transit stay has no succession
            actions.append(
                Action(
                    f"Record a succession on the {licence.holder_word}'s death",
                    reverse("residents:licence-succession", args=[licence.pk]),
                    method="get",
                    style="secondary",
                )
            )
        actions.append(
            Action(
                f"End this {word}",
                reverse("residents:licence-end", args=[licence.pk]),
                method="get",
                style="warning",
            )
        )
    return actions


def licence_page(licence: Licence, user: AbstractBaseUser) -> dict:
    """Everything the licence page shows, and what this user may do there now."""
    named = list(licence.occupants.select_related("person").order_by("role", "from_date", "pk"))
    documents = list(licence.documents.select_related("requested_by"))
    holders = [n for n in named if n.role == LicenceOccupant.Role.HOLDER and n.to_date is None]
    current_documents = [d for d in documents if d.superseded_at is None]
    visit = NewResidentVisit.objects.filter(licence=licence).first()
    draft = licence.status == Licence.Status.DRAFT
    live = licence.status == Licence.Status.LIVE
    may_change_people = user.has_perm("residents.change_licenceoccupant")
    rows = []
    for person in named:
        current = person.to_date is None and may_change_people
        is_occupant = person.role == LicenceOccupant.Role.OCCUPANT
        rows.append(
            {
                "named": person,
                "make_holder": current and draft and is_occupant,
                "make_occupant": current and draft and not is_occupant and len(holders) > 1,
                "record_left": current and live and is_occupant,
            }
        )
    open_to_people = not LICENCE.is_final(licence.status)
    may_update_found = user.has_perm("residents.change_unauthorisedoccupant")
    return {
        "licence": licence,
        "household_named": household_name(licence.household),
        "holders": holders,
        "named_rows": rows,
        "current_documents": current_documents,
        "old_documents": [d for d in documents if d.superseded_at is not None],
        "signing": LicenceSigning.objects.filter(licence=licence)
        .select_related("witnessed_by")
        .first(),
        "visit": visit,
        "outstanding": visit_outstanding(visit) if visit else [],
        "breaches": list(licence.breaches.all()),
        "unauthorised": [
            {
                "found": found,
                "can_update": may_update_found and not UNAUTHORISED_OCCUPANT.is_final(found.status),
            }
            for found in licence.unauthorised_occupants.all()
        ],
        "handbook_issues": list(licence.handbook_issues.select_related("edition")),
        "can_add_occupant": open_to_people and user.has_perm("residents.add_licenceoccupant"),
        # Someone found on the pitch is found under the licence running (the service's rule).
        "can_record_unauthorised": licence.status == Licence.Status.LIVE
        and user.has_perm("residents.add_unauthorisedoccupant"),
        "can_change_terms": user.has_perm("residents.prepare_licence", licence),
        "actions": licence_available_actions(
            licence, user, documents_prepared=bool(current_documents)
        ),
        "first_signing_date": licence_first_signing_date(licence) if draft else None,
        "evidence": list(licence.evidence.select_related("uploaded_by")),
        "succeeded_by": Licence.objects.filter(succeeds=licence).first(),
        "review_right_until": tenancy_review_right_until(licence),
    }


def tenancy_review_right_until(licence: Licence) -> date | None:
    """The last day the tenant may ask for a review of an extension of the introductory
    period (Housing Act 1996 s.125B: 14 days from the notice)."""
    if licence.introductory_review != Licence.IntroductoryReview.EXTENDED:
        return None
    return licence.introductory_reviewed_on + timedelta(days=14)


def licence_first_signing_date(licence: Licence):
    """The first day the agreement can be signed (MHA 1983 s.1(3)-(4)): 28 days after the
    written statement was given, or sooner where written consent to less is recorded: from
    the day the statement was given and the consent too."""
    given = licence.written_statement_given_on
    if given is None:
        return None
    if licence.short_notice_consent_on is not None:
        return min(given + STATEMENT_DAYS, max(given, licence.short_notice_consent_on))
    return given + STATEMENT_DAYS


# Mobile Homes Act 1983 s.1(3): the written statement is given at least 28 days before the
# agreement is made, unless the proposed occupier consents in writing to less (s.1(4)).
STATEMENT_DAYS = timedelta(days=28)


# --- New-resident visits ---------------------------------------------------------------------


def visit_detail_queryset() -> QuerySet[NewResidentVisit]:
    return NewResidentVisit.objects.select_related(
        "licence__unit__site", "licence__household", "officer"
    )


def visit_for_licence(licence: Licence, visit_id: str) -> NewResidentVisit | None:
    """The licence's visit with this id (as typed in a query string), or None."""
    return NewResidentVisit.objects.filter(pk=query_id(visit_id) or 0, licence=licence).first()


def visit_meters_needed(visit: NewResidentVisit) -> list[str]:
    """The meters the pitch has; gas only where the pitch has it."""
    unit = visit.licence.unit
    wanted = {
        MeterReading.Meter.ELECTRICITY: unit.has_electricity_meter,
        MeterReading.Meter.WATER: unit.has_water_meter,
        MeterReading.Meter.GAS: unit.has_gas_meter,
    }
    return [meter for meter, present in wanted.items() if present]


def visit_outstanding(visit: NewResidentVisit) -> list[str]:
    """What is still to do on the visit, in words, in checklist order."""
    outstanding = []
    if visit.visited_on is None:
        outstanding.append("Record the date of the visit")
    if visit.handbook_issued_on is None:
        outstanding.append("Issue the site handbook")
    if visit.policies_issued_on is None:
        outstanding.append("Issue the policies")
    read = {reading.meter for reading in visit.meter_readings.all()}
    labels = dict(MeterReading.Meter.choices)
    for meter in visit_meters_needed(visit):
        if meter not in read:
            outstanding.append(f"Take the {labels[meter].lower()} meter reading")
    if visit.pay_card_issued_on is None:
        outstanding.append("Issue the pay card")
    if visit.business_support_notified_at is None:
        outstanding.append(
            "Ask business support to open the resident's account"
            if visit.business_support_requested_at is None
            else "Business support notification waiting to be sent"
        )
    return outstanding


def visit_page(visit: NewResidentVisit, user: AbstractBaseUser) -> dict:
    """Everything the visit checklist shows, and what this user may do there now."""
    licence = visit.licence
    meters_needed = visit_meters_needed(visit)
    can_work = user.has_perm("residents.work_on_visit", visit)
    closed = LICENCE.is_final(licence.status)
    return {
        "licence_closed": (
            "did not go ahead" if licence.status == Licence.Status.CANCELLED else "has ended"
        )
        if closed
        else "",
        "visit": visit,
        "licence": licence,
        "holders": licence_holders(licence),
        "readings": list(visit.meter_readings.select_related("recorded_by")),
        "meters_needed": meters_needed,
        "outstanding": visit_outstanding(visit),
        "breaches": list(visit.breaches.all()),
        "issue": handbook_issue_latest(licence),
        "can_work": can_work,
        "can_ask_business_support": can_work
        and visit.business_support_notified_at is None
        and visit.business_support_requested_at is None,
        "can_record_reading": bool(meters_needed)
        and visit.completed_on is None
        and not closed
        and user.has_perm("residents.add_meterreading"),
        "can_report_breach": user.has_perm("residents.report_breach", licence),
    }


def business_support_recipients() -> list[str]:
    """Who is asked to open a new resident's account: the shared mailbox, or else the
    business support team."""
    if settings.BUSINESS_SUPPORT_EMAIL:
        return [settings.BUSINESS_SUPPORT_EMAIL]
    return sorted(
        get_user_model()
        .objects.filter(groups__name=BUSINESS_SUPPORT.name, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


# --- Breaches --------------------------------------------------------------------------------


def breach_detail_queryset() -> QuerySet[Breach]:
    return Breach.objects.select_related(
        "licence__unit__site", "licence__household", "raised_by", "visit"
    )


def breach_next_statuses(breach: Breach) -> list[str]:
    """Where the breach can go now, as `breach_transition` allows it: no notice to remedy nor
    escalation once its licence is no longer live; under a notice on a live licence, not
    closed without an outcome (remedied or escalated)."""
    allowed = BREACH.allowed(breach.status)
    if breach.licence.status != Licence.Status.LIVE:
        allowed = allowed - {Breach.Status.NOTICE_SERVED, Breach.Status.ESCALATED}
    elif breach.status == Breach.Status.NOTICE_SERVED:
        allowed = allowed - {Breach.Status.CLOSED}
    return sorted(allowed)


def breach_available_actions(breach: Breach, user: AbstractBaseUser) -> list[Action]:
    if not user.has_perm("residents.progress_breach", breach):
        return []
    return [
        Action(
            "Update the breach",
            reverse("residents:breach-update", args=[breach.pk]),
            method="get",
        )
    ]


# --- Handbook --------------------------------------------------------------------------------


def handbook_edition_queryset() -> QuerySet[HandbookEdition]:
    return HandbookEdition.objects.select_related("site")


def handbook_page() -> dict:
    """The common sections, and each site's own sections and latest three printed editions."""
    sections = list(HandbookSection.objects.select_related("site"))
    editions: dict[int, list[HandbookEdition]] = {}
    for edition in handbook_edition_queryset().order_by("site_id", "-number"):
        edition.label = f"the {edition.site.name} handbook, edition {edition.number}"
        editions.setdefault(edition.site_id, []).append(edition)
    return {
        "common": [s for s in sections if s.site_id is None],
        "sites": [
            {
                "site": site,
                "sections": [s for s in sections if s.site_id == site.pk],
                "editions": editions.get(site.pk, [])[:3],
            }
            for site in Site.objects.order_by("name")
        ],
    }


def handbook_print_preview(site: Site) -> dict:
    """What printing a site's handbook now would make: the next edition's number and its
    sections, common and the site's own."""
    last = HandbookEdition.objects.filter(site=site).order_by("-number").first()
    return {
        "next_number": (last.number if last else 0) + 1,
        "common_count": HandbookSection.objects.filter(site__isnull=True).count(),
        "site_count": HandbookSection.objects.filter(site=site).count(),
    }


def handbook_issue_latest(licence: Licence) -> HandbookIssue | None:
    return licence.handbook_issues.select_related("edition").first()


def breach_overdue_q(today: date) -> Q:
    """A notice to remedy past its date on a licence still running. Once the licence has
    ended (or its end date has come, before the daily close runs) there is no agreement left
    for the court to end, so the remedy is not chased: the breach is only closed."""
    return (
        Q(status=Breach.Status.NOTICE_SERVED, remedy_due_on__lt=today)
        & Q(licence__status=Licence.Status.LIVE)
        & (Q(licence__end_date__isnull=True) | Q(licence__end_date__gt=today))
    )


def breach_list(*, status: str = "", overdue: bool = False, today=None) -> QuerySet[Breach]:
    """The sites manager's list of breaches: newest first, with their licence and pitch, each
    with `is_overdue`; the overdue ones (see `breach_overdue_q`) on request."""
    from django.utils import timezone

    today = today or timezone.localdate()
    breaches = Breach.objects.select_related("licence__unit__site", "licence__household")
    if status:
        breaches = breaches.filter(status=status)
    if overdue:
        breaches = breaches.filter(breach_overdue_q(today))
    breaches = breaches.annotate(
        household_named=named_household("licence__household"),
        is_overdue=Case(
            When(breach_overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    return breaches.order_by("-observed_on", "-pk")
