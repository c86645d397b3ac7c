"""Residents' object permissions (residents/predicates.py), transition tables
(residents/lifecycles.py) and the actions each page is given (residents/selectors.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import selectors, services
from residents.lifecycles import BREACH, LICENCE, UNAUTHORISED_OCCUPANT
from residents.models import Breach, Licence, UnauthorisedOccupant
from tests.residents.helpers import documents_ready, draft, signed

pytestmark = pytest.mark.django_db


def _labels(actions) -> list[str]:
    return [action.label for action in actions]


def test_every_status_has_a_row_in_its_table():
    assert LICENCE.transitions.keys() == set(Licence.Status.values)
    assert BREACH.transitions.keys() == set(Breach.Status.values)
    assert UNAUTHORISED_OCCUPANT.transitions.keys() == set(UnauthorisedOccupant.Status.values)
    assert LICENCE.is_final(Licence.Status.ENDED) and BREACH.is_final(Breach.Status.CLOSED)


def test_a_licence_never_goes_back():
    licence = Licence(status=Licence.Status.LIVE)
    with pytest.raises(ValidationError, match="that is live cannot become being prepared"):
        LICENCE.move(licence, Licence.Status.DRAFT)
    LICENCE.move(licence, Licence.Status.ENDED)
    assert licence.status == Licence.Status.ENDED


def test_only_officers_who_sign_up_licences_may_witness(officer, team_leader, sites_manager):
    licence = draft(officer)
    assert officer.has_perm("residents.witness_licence_signing", licence)
    assert team_leader.has_perm("residents.witness_licence_signing", licence)
    assert not sites_manager.has_perm("residents.witness_licence_signing", licence)


def test_a_witness_who_cannot_sign_up_licences_is_refused(officer, sites_manager):
    licence = draft(officer)
    documents_ready(licence, officer, drawn_days_ago=28)
    today = timezone.localdate()
    services.licence_written_statement_give(
        licence=licence, given_on=today - timedelta(days=28), by=officer
    )
    with pytest.raises(ValidationError) as refused:
        services.licence_sign(
            licence=licence, signed_on=today, witnessed_by=sites_manager, by=officer
        )
    assert refused.value.message_dict == {
        "witnessed_by": ["The witness must be an officer who can sign up licences"]
    }


def test_a_draft_licence_offers_preparing_and_signing(officer, auditor):
    licence = draft(officer)
    assert _labels(
        selectors.licence_available_actions(licence, officer, documents_prepared=False)
    ) == [
        "Prepare the written statement and agreement",
        "Record the written statement as given",
        "Record written consent to less than 28 days",
        "Record the licence as signed",
    ]
    again = selectors.licence_available_actions(licence, officer, documents_prepared=True)
    assert again[0].label == "Prepare the documents again" and again[0].method == "post"
    assert selectors.licence_available_actions(licence, auditor, documents_prepared=True) == []


def test_a_live_licence_offers_a_breach_and_its_end(officer, sites_manager, auditor):
    licence = signed(officer)
    actions = selectors.licence_available_actions(licence, officer, documents_prepared=True)
    assert _labels(actions) == [
        "Report a breach",
        "Record a succession on the licence holder's death",
        "End this licence",
    ]
    assert actions[-1].style == "warning"
    assert actions[-1].url == reverse("residents:licence-end", args=[licence.pk])
    # Sites managers progress breaches but do not report them or end licences.
    assert (
        selectors.licence_available_actions(licence, sites_manager, documents_prepared=True) == []
    )
    assert selectors.licence_available_actions(licence, auditor, documents_prepared=True) == []


def test_a_closed_breach_offers_nothing(officer, sites_manager):
    breach = services.breach_raise(
        licence=signed(officer),
        category="nuisance",
        observed_on=timezone.localdate(),
        description="Loud generator at night",
        by=officer,
    )
    assert _labels(selectors.breach_available_actions(breach, sites_manager)) == [
        "Update the breach"
    ]
    services.breach_transition(breach=breach, to="closed", by=sites_manager, reason="Not one")
    breach.refresh_from_db()
    assert selectors.breach_available_actions(breach, sites_manager) == []
    assert selectors.breach_next_statuses(breach) == []


def test_the_licence_page_shows_only_the_actions_allowed(client, officer, auditor):
    licence = signed(officer)
    client.force_login(auditor)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "End this licence" not in page and "Report a breach" not in page
    client.force_login(officer)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "End this licence" in page and "Report a breach" in page
    assert "Record the licence as signed" not in page
