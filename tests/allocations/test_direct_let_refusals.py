"""What a direct let refuses, in words: an Extra Care home is let from the Extra Care panel's
ranking, never directly; and a refusal names the household it is waiting on, as the rest of
the app does, not by a bare application reference."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from allocations import services
from allocations.models import Application, DirectLet, Scheme, Vacancy
from residents.selectors import household_name
from sites.models import Unit
from tests.allocations.casework import checks_back, frozen_vacancy, in_a_week
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory
from tests.factories import HomeFactory

pytestmark = pytest.mark.django_db

VOID = date(2026, 1, 5)
DETAILS = "Fleeing domestic abuse: MARAC referral, needs a home away from the current area"


def _propose(officer, *, vacancy, application=None):
    return services.direct_let_propose(
        vacancy=vacancy,
        application=application or ActiveApplicationFactory(scheme=vacancy.scheme),
        reason="emergency",
        details=DETAILS,
        by=officer,
    )


def _extra_care_vacancy(*, extra_care: bool = True) -> Vacancy:
    unit = HomeFactory(extra_care=extra_care, status=Unit.Status.ADVERTISED, void_date=VOID)
    return VacancyFactory(unit=unit, scheme=Scheme.CBL, status=Vacancy.Status.ADVERTISED)


def test_an_extra_care_home_is_not_let_directly(officer):
    vacancy = _extra_care_vacancy()
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=vacancy)
    assert refused.value.message_dict["vacancy_reference"] == [
        f"{vacancy.unit} is an Extra Care home: it is offered from the Extra Care panel's "
        "ranking, not let directly."
    ]
    assert not DirectLet.objects.exists()


def test_a_direct_let_proposed_before_the_home_became_extra_care_is_not_approved(
    officer, team_leader
):
    vacancy = _extra_care_vacancy(extra_care=False)
    direct_let = _propose(officer, vacancy=vacancy)
    Unit.objects.filter(pk=vacancy.unit_id).update(extra_care=True)
    with pytest.raises(ValidationError, match="Extra Care panel's ranking"):
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Agreed", by=team_leader
        )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.ADVERTISED


def test_a_vacancy_with_an_open_offer_names_the_household_holding_it(officer):
    vacancy, (entry,) = frozen_vacancy(officer, 10)
    checks_back(entry.application, officer)
    services.offer_make(entry=entry, respond_by=in_a_week(), by=officer)
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=vacancy)
    name = household_name(entry.application.household)
    assert refused.value.message_dict["vacancy_reference"] == [
        f"{vacancy.reference} has an offer to {name}, application "
        f"{entry.application.reference}, waiting for a reply: it cannot be let directly as well."
    ]


def test_a_shortlist_still_to_offer_names_the_household_waiting(officer):
    vacancy, (first, _) = frozen_vacancy(officer, 10, 5)
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=vacancy)
    name = household_name(first.application.household)
    assert refused.value.message_dict["vacancy_reference"] == [
        f"{vacancy.reference}'s shortlist still has {name} (application "
        f"{first.application.reference}) at position 1 to offer it to: offer it in order, or "
        "bypass them with a reason, before letting it directly."
    ]


# --- The household refused is named by its lead applicant, not by "A-000123" alone ------------


def test_a_household_whose_application_is_not_active_is_named_in_the_refusal(officer):
    application = ActiveApplicationFactory(status="suspended")
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=VacancyFactory(), application=application)
    name = household_name(application.household)
    assert name.startswith("Person0 ")  # the lead applicant, not the reference alone
    assert refused.value.message_dict["application_reference"] == [
        f"{name}'s application {application.reference} is suspended: only an active "
        "application can be let a home directly."
    ]


def test_a_household_on_another_register_is_named_in_the_refusal(officer):
    vacancy = VacancyFactory()  # a pitch
    application = ActiveApplicationFactory(scheme="cbl")
    with pytest.raises(ValidationError) as refused:
        _propose(officer, vacancy=vacancy, application=application)
    assert refused.value.message_dict["application_reference"] == [
        f"{household_name(application.household)}'s application {application.reference} is "
        f"on the {application.get_scheme_display()} register; {vacancy.reference} is let under "
        f"{vacancy.get_scheme_display()}."
    ]


def test_a_household_already_on_the_shortlist_is_named_in_the_refusal(officer):
    vacancy, (first, _) = frozen_vacancy(officer, 10, 5)
    problems = services.direct_let_propose_problems(
        vacancy=vacancy, application=first.application, reason="emergency", details=DETAILS
    )
    assert problems["application_reference"] == (
        f"{household_name(first.application.household)} is already on {vacancy.reference}'s "
        "shortlist: offer it to them there."
    )


def test_approving_for_a_household_no_longer_active_names_it(officer, team_leader):
    direct_let = _propose(officer, vacancy=VacancyFactory())
    Application.objects.filter(pk=direct_let.application_id).update(status="withdrawn")
    direct_let.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.direct_let_decide(
            direct_let=direct_let, approve=True, reason="Agreed", by=team_leader
        )
    application = direct_let.application
    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        f"{household_name(application.household)}'s application {application.reference} is no "
        "longer active (withdrawn): decline the direct let."
    ]
    direct_let.refresh_from_db()
    assert direct_let.status == DirectLet.Status.PROPOSED
