"""Where each thing CORE asks comes from in our records: one small function per source.

A *let* is either the council's own: an approved allocation decision whose agreement
(residents.Licence) was signed — the decision names the offer, application, vacancy and unit;
the licence the start date, rent and the people named on it — or a registered provider's on
the council's nomination (allocations.Nomination, its let confirmed): the nomination names the
application, vacancy and unit (sites.Unit with its provider); the provider gave the tenancy's
start date and terms when it confirmed the let; the rent is the home's; the provider owns and
manages the let, and the council returns its log on the provider's behalf.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings

from allocations.core import year2026 as core
from allocations.models import (
    AllocationDecision,
    Application,
    CoreLetAnswers,
    CorePersonAnswers,
    Nomination,
    Vacancy,
)
from allocations.models.applications import PreferenceGround
from allocations.models.lettings import NeedsType, RentType
from residents.models import Licence, LicenceOccupant, Person
from sites.models import Unit

NEEDS_TYPE_TO_CORE = {NeedsType.GENERAL: 1, NeedsType.SUPPORTED: 2}
# RENT_TYPE_BU_MAPPING's upload codes (row_parser.rb), from our words.
RENT_TYPE_TO_CORE = {
    RentType.SOCIAL: 1,
    RentType.AFFORDABLE: 2,
    RentType.LONDON_AFFORDABLE: 3,
    RentType.RENT_TO_BUY: 4,
    RentType.LONDON_LIVING: 5,
    RentType.OTHER_INTERMEDIATE: 6,
    RentType.SPECIFIED: 7,
}
# One void reason, one CORE reason for the vacancy (questions/rsnvac.rb, rsnvac_first_let.rb).
# The old "court order" has none: CORE asks what the eviction was for.
VOID_REASON_TO_CORE = {
    Unit.VoidReason.END_OF_LICENCE: 8,
    Unit.VoidReason.TRANSFER: 13,
    Unit.VoidReason.MOVED_TO_PROVIDER: 12,
    Unit.VoidReason.CARE_HOME: 18,
    Unit.VoidReason.HOSPITAL: 20,
    Unit.VoidReason.DEATH: 5,
    Unit.VoidReason.SUCCESSION_DOWNSIZE: 19,
    Unit.VoidReason.ABANDONMENT: 6,
    Unit.VoidReason.EVICTION_ARREARS: 10,
    Unit.VoidReason.EVICTION_ASB: 11,
    Unit.VoidReason.EVICTION_BOTH: 21,
    Unit.VoidReason.NEW_BUILD: 15,
    Unit.VoidReason.OTHER: 22,
}
HOME_TYPE_TO_CORE = {
    Vacancy.HomeType.FLAT: 1,
    Vacancy.HomeType.MAISONETTE: 1,
    Vacancy.HomeType.HOUSE: 7,
    Vacancy.HomeType.BUNGALOW: 8,
    Vacancy.HomeType.SHELTERED: 1,
}
BEDSIT = 2  # questions/unittype_gn.rb
# Accessible-housing categories (Unit.Accessibility) -> CORE's disabled access needs fields:
# a) fully wheelchair accessible (94), b) wheelchair access to essential rooms (95), c) level
# access (96).
ACCESS_CATEGORY_TO_FIELD = {"a": 94, "b": 95, "c": 96}
PREFERENCE_GROUND_TO_FIELD = {
    PreferenceGround.HOMELESS: 122,
    PreferenceGround.INSANITARY: 123,
    PreferenceGround.MEDICAL_WELFARE: 124,
    PreferenceGround.HARDSHIP: 125,
    PreferenceGround.DONT_KNOW: 126,
}
REASONABLE_PREFERENCE_TO_CORE = {"yes": 1, "no": 2, "dont_know": 3}
CONDITION_EFFECT_TO_FIELD = {
    CoreLetAnswers.ConditionEffect.DEXTERITY: 101,
    CoreLetAnswers.ConditionEffect.LEARNING: 102,
    CoreLetAnswers.ConditionEffect.HEARING: 103,
    CoreLetAnswers.ConditionEffect.MEMORY: 104,
    CoreLetAnswers.ConditionEffect.MENTAL_HEALTH: 105,
    CoreLetAnswers.ConditionEffect.MOBILITY: 106,
    CoreLetAnswers.ConditionEffect.SOCIAL: 107,
    CoreLetAnswers.ConditionEffect.STAMINA: 108,
    CoreLetAnswers.ConditionEffect.VISION: 109,
    CoreLetAnswers.ConditionEffect.OTHER: 110,
}
REFERRAL_TO_CORE = {
    CoreLetAnswers.Referral.TRANSFER: 2,
    CoreLetAnswers.Referral.REGISTER: 3,
    CoreLetAnswers.Referral.DIRECT: 4,
}
ETHNICITY_TO_CORE = {
    Person.Ethnicity.WHITE_BRITISH: 1,
    Person.Ethnicity.WHITE_IRISH: 2,
    Person.Ethnicity.GYPSY_ROMANY: 18,
    Person.Ethnicity.IRISH_TRAVELLER: 18,
    Person.Ethnicity.SCOTTISH_TRAVELLER: 18,
    Person.Ethnicity.WELSH_TRAVELLER: 18,
    Person.Ethnicity.ROMA: 20,
    # CORE has no group for these: its "any other White background" is the nearest it offers.
    Person.Ethnicity.SHOWPERSON: 3,
    Person.Ethnicity.NEW_TRAVELLER: 3,
    Person.Ethnicity.BOAT_DWELLER: 3,
    Person.Ethnicity.WHITE_OTHER: 3,
    Person.Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: 4,
    Person.Ethnicity.MIXED_WHITE_BLACK_AFRICAN: 5,
    Person.Ethnicity.MIXED_WHITE_ASIAN: 6,
    Person.Ethnicity.MIXED_OTHER: 7,
    Person.Ethnicity.ASIAN_INDIAN: 8,
    Person.Ethnicity.ASIAN_PAKISTANI: 9,
    Person.Ethnicity.ASIAN_BANGLADESHI: 10,
    Person.Ethnicity.ASIAN_CHINESE: 15,
    Person.Ethnicity.ASIAN_OTHER: 11,
    Person.Ethnicity.BLACK_AFRICAN: 13,
    Person.Ethnicity.BLACK_CARIBBEAN: 12,
    Person.Ethnicity.BLACK_OTHER: 14,
    Person.Ethnicity.ARAB: 19,
    Person.Ethnicity.OTHER: 16,
    Person.Ethnicity.PREFER_NOT_TO_SAY: 17,
}
SEX_TO_CORE = {Person.Sex.FEMALE: "F", Person.Sex.MALE: "M"}


@dataclass
class Let:
    """One let and everything its log is made from: the council's (decision and licence) or
    a provider's on the council's nomination (nomination)."""

    people: list[Person]
    answers: CoreLetAnswers | None
    person_answers: dict[int, CorePersonAnswers] = field(default_factory=dict)
    decision: AllocationDecision | None = None
    licence: Licence | None = None
    nomination: Nomination | None = None

    @property
    def application(self) -> Application:
        if self.nomination is not None:
            return self.nomination.application
        assert self.decision is not None
        return self.decision.offer.application

    @property
    def vacancy(self) -> Vacancy:
        if self.nomination is not None:
            return self.nomination.vacancy
        assert self.decision is not None
        return self.decision.offer.vacancy

    @property
    def by_provider(self) -> bool:
        return self.nomination is not None

    @property
    def tenancy_code(self) -> str:
        """The let's own reference (CORE field 13): our agreement's, or for a provider's let
        the advert it was nominated from."""
        return self.licence.reference if self.licence is not None else self.vacancy.reference

    @property
    def unit(self) -> Unit:
        return self.vacancy.unit

    @property
    def label(self) -> str:
        lead = self.people[0] if self.people else None
        return f"{self.vacancy.reference}: {self.unit} let to {lead or self.application}"


def tenancy_start(let: Let) -> date:
    # The agreement's start date; for a provider's let, the date it confirmed.
    if let.nomination is not None:
        assert let.nomination.tenancy_start_date is not None
        return let.nomination.tenancy_start_date
    assert let.licence is not None
    return let.licence.start_date


def tenancy_terms(let: Let) -> tuple[int, int, int | None]:
    """(starter tenancy 1/2, CORE tenancy type, fixed-term length in years or None), from the
    occupancy agreement's kind: a pitch licence (Mobile Homes Act 1983) is CORE's licence
    agreement; an introductory tenancy is a starter tenancy becoming secure for life; a secure
    tenancy is secure for life; a fixed-term (flexible) tenancy is secure for a fixed term.
    A provider's tenancy is as the provider gave it when it confirmed the let."""
    if let.nomination is not None:
        nomination = let.nomination
        starter = None if nomination.starter_tenancy is None else 2 - nomination.starter_tenancy
        return starter, nomination.tenancy_type, nomination.tenancy_length  # type: ignore[return-value]
    licence = let.licence
    assert licence is not None
    kind = licence.kind
    if kind == licence.Kind.INTRODUCTORY:
        return 1, 7, None
    if kind == licence.Kind.SECURE:
        return 2, 7, None
    if kind == licence.Kind.FIXED_TERM:
        # The length in whole years from the agreement's dates; never made up: with no end
        # date (or under half a year) it is left unanswered and the check says where to
        # record it.
        years = (
            round((licence.end_date - licence.start_date).days / 365.25)
            if licence.end_date
            else None
        )
        return 2, 6, years or None
    return 2, 5, None


def joint_tenancy(let: Let) -> int | None:
    """CORE field 36 (questions/joint.rb): two or more holders on our agreement; as the
    provider said for its tenancy."""
    if let.nomination is not None:
        joint = let.nomination.joint_tenancy
        return None if joint is None else (1 if joint else 2)
    assert let.licence is not None
    return 1 if let.licence.occupants.filter(role=LicenceOccupant.Role.HOLDER).count() > 1 else 2


def weekly_rent(let: Let) -> Decimal:
    # A tenancy's weekly rent; a pitch licence's weekly pitch fee; a provider's home's rent
    # as advertised (else the home's own weekly rent).
    if let.nomination is not None:
        return let.vacancy.weekly_rent or let.unit.weekly_charge or Decimal("0")
    licence = let.licence
    assert licence is not None
    if licence.weekly_rent is not None:
        return licence.weekly_rent
    return licence.weekly_fee or Decimal("0")


def weekly_service_charge(let: Let) -> Decimal:
    # The agreement's service charge; else the advert's (a pitch licence records none; a
    # provider's let has no agreement of ours).
    if let.licence is not None and let.licence.service_charge is not None:
        return let.licence.service_charge
    return let.vacancy.weekly_charges or Decimal("0")


def private_provider(let: Let) -> bool:
    return let.nomination is not None


def void_before(let: Let) -> tuple[date | None, str, date | None]:
    """(void date, void reason, major repairs date) of the void this let ended.

    A unit's void fields are cleared once it is occupied, so they are read from its history:
    the last version, before the tenancy started, that was void."""
    start = tenancy_start(let)
    record = (
        let.unit.history.filter(void_date__isnull=False, void_date__lte=start)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return None, "", None
    return record.void_date, record.void_reason, record.major_repairs_date


def previous_let_type(let: Let) -> int:
    """How the home was last let (field 17): the rent type of the vacancy let before this one,
    through CORE's UNITLETAS_MAPPING; "don't know" (3) when we hold no earlier let."""
    before = (
        Vacancy.objects.filter(unit=let.unit, status=Vacancy.Status.LET)
        .exclude(pk=let.vacancy.pk)
        .filter(created_at__lt=let.vacancy.created_at)
        .order_by("-created_at")
        .first()
    )
    if before is None or not before.rent_type:
        return 3
    return core.UNITLETAS_FROM_RENT_TYPE[RENT_TYPE_TO_CORE[RentType(before.rent_type)]]


def unit_type(let: Let) -> int | None:
    if let.unit.is_pitch:
        return 6  # "Other": a pitch is none of CORE's kinds of home
    if let.unit.bedrooms == 0:
        # A home with no separate bedroom (a studio) is CORE's bedsit (questions/
        # unittype_gn.rb 2), which CORE records as one bedroom (lettings_log.rb#is_bedsit?).
        return BEDSIT
    return HOME_TYPE_TO_CORE.get(let.vacancy.home_type)


def older_peoples_housing(let: Let) -> int:
    return 7 if let.vacancy.home_type == Vacancy.HomeType.SHELTERED else 3


def access_need_fields(let: Let) -> set[int]:
    """Which of fields 94-98 are ticked: the application's access category, "other" for an
    assessed need in another category, "no disabled access needs" otherwise."""
    application = let.application
    category = (application.access_category or "").lower()
    if category in ACCESS_CATEGORY_TO_FIELD:
        return {ACCESS_CATEGORY_TO_FIELD[category]}
    if application.needs_accessible_home:
        return {97}
    return {98}


def pregnant(let: Let) -> bool:
    start = tenancy_start(let)
    return any(p.pregnancy_due_date and p.pregnancy_due_date >= start for p in let.people)


def organisation_id(let: Let | None = None) -> str:
    """CORE fields 1 and 2, the organisation that owns the home and the one that manages the
    let: the council; for a provider's let the provider (the council, submitting on its
    behalf, must hold a stock-owner relationship with it in CORE: row_parser.rb
    #validate_owning_org_permitted and #validate_managing_org_related)."""
    if let is not None and let.nomination is not None:
        return let.nomination.provider.core_organisation_id
    return settings.CORE_ORGANISATION_ID


def local_authority() -> str:
    return settings.CORE_LOCAL_AUTHORITY
