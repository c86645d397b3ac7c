"""Where a person's data is held: for every model with a path to a person, how to find its rows.

One registry serves both the subject access export (privacy/export.py) and the retention
purge (privacy/purge.py), so what we give a person and what we delete when their time is up
are the same list. tests/privacy/test_registry.py walks every model (django.apps.get_models())
with a foreign-key path to residents.Person, residents.Household or allocations.Application
and fails for one that is neither in HOLDINGS nor in EXCLUDED: a new model cannot be forgotten.

A holding names its model and the lookup(s) from it to the household (`household`); rows
about one member of the household in particular say so (`person`), so that the export gives
the subject their own rows and withholds the other members' (third-party data).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Holding:
    model: str  # "app_label.ModelName"
    household: tuple[str, ...]  # lookups from the model to residents.Household ("pk" for itself)
    person: str = ""  # the lookup to the one person a row is about, when it is about one
    # Rows about other people than the household's members (found on their pitch, say): held
    # with the household's records but withheld from a subject access export.
    third_party: str = ""
    # Rows shared with other households (a case conference): the purge unlinks the household
    # through this many-to-many field and keeps the record; `shared_household` is the lookup
    # from the field's records to the household.
    shared_through: str = ""
    shared_household: str = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def for_purchasers(self, purchaser_ids: list[int]) -> models.QuerySet:
        """Rows about these low-cost home ownership purchasers (PURCHASER_HOLDINGS)."""
        return self.model_class._default_manager.filter(
            **{f"{self.person}__in": purchaser_ids}
        ).order_by("pk")

    def for_households(self, household_ids: list[int]) -> models.QuerySet:
        where = Q()
        for lookup in self.household:
            where |= Q(**{f"{lookup}__in": household_ids})
        return self.model_class._default_manager.filter(where).distinct().order_by("pk")


def _app(model: str, *extra: str, **kwargs) -> Holding:
    """A holding found through its application."""
    return Holding(model, ("application__household", *extra), **kwargs)


HOLDINGS: tuple[Holding, ...] = (
    # residents
    Holding("residents.Household", ("pk",)),
    Holding("residents.Person", ("household",), person="pk"),
    Holding("residents.SpecialCategoryView", ("person__household",), person="person"),
    Holding("residents.Licence", ("household",)),
    Holding("residents.LicenceEvidence", ("licence__household",)),
    Holding("residents.LicenceOccupant", ("licence__household",), person="person"),
    Holding("residents.LicenceDocument", ("licence__household",)),
    Holding("residents.LicenceSigning", ("licence__household",)),
    Holding("residents.NewResidentVisit", ("licence__household",)),
    Holding("residents.MeterReading", ("visit__licence__household",)),
    Holding("residents.Breach", ("licence__household",)),
    Holding("residents.HandbookIssue", ("licence__household",)),
    Holding(
        "residents.UnauthorisedOccupant",
        ("licence__household",),
        third_party=(
            "Unauthorised occupants found on the household's pitch are other people: their "
            "details are third-party data (DPA 2018 Sch. 2 para 16)."
        ),
    ),
    # allocations: the application and what hangs from it
    Holding("allocations.Application", ("household",)),
    _app("allocations.EvidenceDocument"),
    _app("allocations.ApplicationValidation"),
    _app("allocations.Assessment"),
    _app("allocations.RegistrationRefusal"),
    _app("allocations.BandReview"),
    _app("allocations.AutoBidPreference"),
    _app("allocations.Bid"),
    _app("allocations.ShortlistEntry"),
    _app("allocations.Interview"),
    _app("allocations.SiteVisit"),
    _app("allocations.DueDiligenceCheck"),
    _app("allocations.CheckException"),
    _app("allocations.Offer"),
    Holding("allocations.AllocationDecision", ("offer__application__household",)),
    Holding("allocations.DecisionReview", ("decision__offer__application__household",)),
    # A let's CORE answers: the council's (its decision) or a provider's (its nomination).
    Holding(
        "allocations.CoreLetAnswers",
        ("decision__offer__application__household", "nomination__application__household"),
    ),
    Holding(
        "allocations.CorePersonAnswers",
        (
            "answers__decision__offer__application__household",
            "answers__nomination__application__household",
        ),
        person="person",
    ),
    _app("allocations.Correction"),
    _app("allocations.DirectLet"),
    _app("allocations.Nomination"),
    Holding("allocations.NominationShowing", ("nomination__application__household",)),
    # A letter is about an application or a tenancy (the household's); a resale letter goes to
    # a seller or a buyer on the purchasers' register, who are not households (issue 14).
    Holding("allocations.Letter", ("application__household", "tenancy__household")),
    _app("allocations.BedroomNeedChange"),
    _app("allocations.Renewal"),
    _app("allocations.VulnerabilityInterview"),
    _app("allocations.ExtraCareReferral"),
    Holding("allocations.ExtraCarePanelItem", ("referral__application__household",)),
    # The household offered the home; those skipped are named by their panel items (their
    # own holdings), which the purge's deletion takes off the let.
    Holding("allocations.ExtraCareLet", ("item__referral__application__household",)),
    Holding("allocations.HouseholdConnection", ("household",)),
    Holding("allocations.InboxDocument", ("household", "application__household")),
    Holding("allocations.Contact", ("household", "application__household")),
    Holding("allocations.Referral", ("household", "application__household")),
    Holding(
        "allocations.CaseConference",
        ("applications__household",),
        shared_through="applications",
        shared_household="household",
    ),
    Holding(
        "allocations.ExtraCarePanel",
        ("referrals__application__household",),
        third_party=(
            "A panel discusses several people: your referral and the panel's decision on it "
            "are given; the panel's own record is about others too."
        ),
        shared_through="referrals",
        shared_household="application__household",
    ),
    # The pack is a snapshot of every referral on the panel: withheld from the export (the
    # person's own assessment is in their referral), and deleted by the purge (it names them).
    Holding(
        "allocations.ExtraCarePanelPack",
        ("panel__referrals__application__household",),
        third_party=(
            "The panel pack holds every referral's social care assessment (third-party health "
            "data); your own assessment is in your Extra Care referral."
        ),
    ),
    # census
    Holding("census.CensusReturn", ("licence__household",)),
    Holding(
        "census.ReturnOccupant",
        ("census_return__licence__household",),
        person="licence_occupant__person",
    ),
    # People found on the pitch who are not on the licence are other people, as unauthorised
    # occupants are (the same people, often): third-party data. A difference's description
    # names them ("New person living on the pitch: …"), so the differences are withheld too.
    Holding(
        "census.NewPerson",
        ("census_return__licence__household",),
        third_party=(
            "People found on the household's pitch in the census who are not on its licence "
            "are other people: their details are third-party data (DPA 2018 Sch. 2 para 16)."
        ),
    ),
    Holding(
        "census.CensusDifference",
        ("census_return__licence__household",),
        third_party=(
            "The differences the census found between the return and the licence name the "
            "people found on the pitch and the occupants gone (third-party data, DPA 2018 "
            "Sch. 2 para 16); the return itself and your own census answers are given."
        ),
    ),
    # privacy: a person's own requests are theirs too
    Holding("privacy.SubjectAccessRequest", ("person__household",), person="person"),
    Holding(
        "privacy.SubjectAccessExemption", ("request__person__household",), person="request__person"
    ),
)


@dataclass(frozen=True)
class AboutHolding:
    """Rows that point at any record through a generic relation (`content_type`,
    `object_id`): a work item about an application, an offer, a letter… They are held on the
    person whenever the record they are about is, and `dependents` (model, lookup to this
    model) hang from them: a work item's attachments and reminders. The export gives those
    about the records it gives (and withholds those about records it withholds); the purge
    deletes those about the records it deletes (privacy/purge.py `_work_purge`)."""

    model: str
    content_type: str = "content_type"
    object_id: str = "object_id"
    dependents: tuple[tuple[str, str], ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def about(self, model: type[models.Model], pks: list[int]) -> models.QuerySet:
        """The rows about these records of `model`."""
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(model)
        return self.model_class._default_manager.filter(
            **{self.content_type: content_type, f"{self.object_id}__in": pks}
        ).order_by("pk")


# Every model with a generic relation to any record (tests/privacy/test_registry.py checks
# each GenericForeignKey in the project is here or in EXCLUDED).
ABOUT_HOLDINGS: tuple[AboutHolding, ...] = (
    AboutHolding(
        "projects.WorkItem",
        dependents=(("projects.TaskAttachment", "work_item"), ("projects.Reminder", "work_item")),
    ),
)

# Models with a path to a person that the export and the purge leave out on purpose, and why.
# None today: a model is left out only with the reason written here.
EXCLUDED: dict[str, str] = {}

# The models the registry starts from: a model with a foreign-key path to one of these is
# personal data about a household or a person.
ROOTS = ("residents.Person", "residents.Household", "allocations.Application")

HOLDING_BY_MODEL = {holding.model: holding for holding in HOLDINGS}


def holding_for(model: type[models.Model]) -> Holding | None:
    return HOLDING_BY_MODEL.get(model._meta.label)


# Would-be buyers on the low-cost home ownership register (allocations/models/resales.py):
# people who may be nobody else in our records, so found through the purchaser, not a
# household. `person` is the lookup to the purchaser. A resale's steps (ResaleStep) name them
# only in words (who was told, what they were told): found by their name (privacy/export.py
# `purchaser_steps`), redacted by the purge.
PURCHASER_HOLDINGS: tuple[Holding, ...] = (
    Holding("allocations.Purchaser", (), person="pk"),
    Holding("allocations.ResaleNomination", (), person="purchaser"),
    Holding("privacy.SubjectAccessRequest", (), person="purchaser"),
    Holding("privacy.SubjectAccessExemption", (), person="request__purchaser"),
)
