"""A renewal recorded twice (the form sent twice, or a second officer recording the same
answer) is refused, saying when it was answered: it is never taken as the answer to next
year's renewal, which would move the renewal date on two years and skip a renewal."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocations import services
from allocations.models import Renewal
from config.history import system_user
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db


def _reminded():
    with time_machine.travel(date(2026, 1, 1), tick=False):
        application = ActiveApplicationFactory(
            registration_date=date(2025, 3, 1), effective_date=date(2025, 4, 1)
        )
    with time_machine.travel(date(2026, 2, 1), tick=False):
        services.renewals_run(today=date(2026, 2, 1), by=system_user())
    return application


def _receive(application, officer, said="No change in the household"):
    with time_machine.travel(date(2026, 2, 5), tick=False):
        return services.renewal_receive(
            application=application, answered_on=date(2026, 2, 5), circumstances=said, by=officer
        )


def test_the_same_renewal_recorded_twice_is_refused_and_next_years_is_not_answered(officer):
    application = _reminded()
    _receive(application, officer)

    with pytest.raises(ValidationError, match="already answered on 5 February 2026"):
        _receive(application, officer)

    application.refresh_from_db()
    assert application.renewal_date == date(2027, 3, 1)
    assert list(application.renewals.values_list("due_on", "status")) == [
        (date(2026, 3, 1), Renewal.Status.RENEWED)
    ]


def test_the_second_sending_of_the_form_keeps_what_was_typed_and_says_why(client, officer):
    application = _reminded()
    _receive(application, officer)
    client.force_login(officer)

    with time_machine.travel(date(2026, 2, 5), tick=False):
        page = client.post(
            reverse("allocations:renewal-receive", args=[application.pk]),
            {
                "answered_on_0": "5",
                "answered_on_1": "2",
                "answered_on_2": "2026",
                "circumstances": "A second child born in January",
            },
        )

    assert page.status_code == 400
    assert "already answered on 5 February 2026" in page.text
    assert "A second child born in January" in page.text
    application.refresh_from_db()
    assert application.renewal_date == date(2027, 3, 1)
