"""The CORE demo: each home let by the lettings demo signed up, with what CORE needs recorded
(the vacancy's needs and rent type, the household's reasonable preference, the let's CORE
answers for the household and each person), so the year's CORE export has no problems. The
nomination Northshire Homes accepted has its let confirmed today (an assured tenancy, with
its terms) and its CORE answers recorded by the council, which returns it on the provider's
behalf.

Everything goes through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allocations.core.derive import age_on
from allocations.models import AllocationDecision, CoreLetAnswers, Nomination, Vacancy
from allocations.models.applications import PreferenceGround, ReasonablePreference
from allocations.models.lettings import NeedsType, RentType
from allocations.services import core as services
from allocations.services import nominations as nomination_services
from config.demo import Demo, DemoStep
from residents import services as resident_services
from residents.demo import licence_documents_drawn
from residents.models import Licence, Person

REASON = "Demo: recorded at sign-up"


def _sign(licence: Licence, officer, witness) -> Licence:
    """Sign the draft agreement as an officer would: its documents, the written statement 28
    days before (Mobile Homes Act 1983 s.1), then the signing, witnessed."""
    today = timezone.localdate()
    licence_documents_drawn(licence, by=officer, days_ago=28)
    resident_services.licence_written_statement_give(
        licence=licence, given_on=today - timedelta(days=28), by=officer
    )
    return resident_services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=witness, by=officer
    )


def _answers(let: dict, household, start, officer) -> None:
    people = list(household.people.order_by("date_of_birth"))
    by_nomination = "nomination" in let
    services.core_answers_record(
        **let,
        by=officer,
        reason=REASON,
        people={
            person.pk: {
                # Adults in part-time work; a child under 16 is "child under 16" in CORE
                # whatever is recorded (allocations/core/builder.py).
                "working_situation": 2 if age_on(person.date_of_birth, start) >= 16 else None,
                "gender_same_as_sex": 1,
                "gender_description": "",
            }
            for person in people
        },
        privacy_notice_seen=True,
        # A provider's let: the nomination is its referral; who sent them to the council is
        # "other" (they applied to the register themselves).
        referral="" if by_nomination else CoreLetAnswers.Referral.REGISTER,
        referral_org=9 if by_nomination else None,
        via_cbl=True,
        via_common_allocation_policy=False,
        via_common_housing_register=False,
        via_accessible_register=False,
        nationality=826,
        armed_forces=2,
        illness=2,
        condition_effects=[],
        time_in_area=11,
        leaving_reason=12,  # overcrowding
        previous_tenure=3,  # private sector tenancy
        homeless=1,
        previous_postcode="CT20 1JR",
        income_known=1,
        income_frequency=1,
        income=Decimal("312.00"),
        housing_benefit=6,  # Universal Credit housing element
        benefits_share=2,
        rent_shortfall=1,
        shortfall=Decimal("18.50"),
    )


def core_load(demo: Demo) -> None:
    officer, witness = demo.user("officer"), demo.user("officer2")
    decisions = AllocationDecision.objects.filter(
        status=AllocationDecision.Status.APPROVED, offer__vacancy__unit__kind="home"
    ).select_related("offer__application__household", "offer__vacancy__unit")
    for decision in decisions:
        offer = decision.offer
        services.vacancy_core_record(
            vacancy=offer.vacancy,
            needs_type=NeedsType.GENERAL,
            rent_type=RentType.SOCIAL,
            home_type=offer.vacancy.home_type,
            by=officer,
            reason=REASON,
        )
        services.application_preference_record(
            application=offer.application,
            reasonable_preference=ReasonablePreference.YES,
            grounds=[PreferenceGround.INSANITARY],
            by=officer,
            reason=REASON,
        )
        licence = (
            Licence.objects.filter(
                household=offer.application.household,
                unit=offer.vacancy.unit,
                created_at__gte=decision.decided_at,
            )
            .order_by("created_at")
            .first()
        )
        if licence is None:
            continue
        if licence.status == Licence.Status.DRAFT:
            licence = _sign(licence, officer, witness)
        _answers({"decision": decision}, offer.application.household, licence.start_date, officer)
    _provider_lets(demo)


def _provider_lets(demo: Demo) -> None:
    """The provider confirms today the let it accepted; the council records what CORE asks."""
    officer, priya = demo.user("officer"), demo.user("provider")
    today = timezone.localdate()
    for nomination in Nomination.objects.filter(status=Nomination.Status.ACCEPTED):
        nomination = nomination_services.nomination_let_confirm(
            nomination=nomination,
            tenancy_start_date=today,
            tenancy_type=2,  # assured, lifetime (questions/tenancy_type.rb)
            starter_tenancy=True,
            joint_tenancy=False,
            answered_by="Priya Nair",
            by=priya,
        )
        services.vacancy_core_record(
            vacancy=nomination.vacancy,
            needs_type=NeedsType.GENERAL,
            rent_type=RentType.AFFORDABLE,
            home_type=Vacancy.HomeType.FLAT,
            by=officer,
            reason=REASON,
        )
        services.application_preference_record(
            application=nomination.application,
            reasonable_preference=ReasonablePreference.YES,
            grounds=[PreferenceGround.HARDSHIP],
            by=officer,
            reason=REASON,
        )
        household = nomination.application.household
        for person in household.people.filter(ethnicity=""):
            # Asked at sign-up (CORE asks the lead tenant's ethnic group): not given.
            resident_services.person_update(
                person=person,
                ethnicity=Person.Ethnicity.PREFER_NOT_TO_SAY,
                by=officer,
                reason="Demo: asked at sign-up, prefers not to say",
            )
        _answers({"nomination": nomination}, household, today, officer)


CORE = DemoStep(loaded=lambda: CoreLetAnswers.objects.exists(), load=core_load)
