"""The words residents and sites managers read: the written statement says the time the
Mobile Homes Act 1983 gives before signing; a breach reaches the sites manager naming the
licence holders, not only a licence reference and a pitch."""

import pytest
from django.template.loader import render_to_string

from residents.documents import licence_context
from tests.residents.helpers import draft, household_of_two

pytestmark = pytest.mark.django_db


def test_the_written_statement_says_it_comes_28_days_before_the_agreement(officer):
    # Mobile Homes Act 1983 s.1(2)-(4) as applied: at least 28 days, or less with the
    # proposed occupier's written consent. "Before" alone reads as any time before.
    licence = draft(officer, household=household_of_two())
    html = render_to_string("residents/pdf/2026-1/written_statement.html", licence_context(licence))
    assert "at least 28 days before you make the agreement" in html
    assert "unless you agree in writing to a shorter time" in html
