"""The access assessment (an occupational therapist's or medical findings behind a household's
access category) is health data: only the roles that hold special-category access see it, on
the application's History page, the case history and the change log, and every showing is
logged."""

import pytest
from django.urls import reverse

from config.kernel.records import save
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db

FINDINGS = "wheelchair user indoors, needs level access"


def _assessed(officer):
    application = ActiveApplicationFactory()
    application.access_category = "b"
    application.access_assessment = f"Occupational therapist, 12 October 2026: {FINDINGS}"
    save(application, by=officer, reason="Access category B from an assessment")
    return application


@pytest.mark.parametrize(
    "page",
    ["allocations:application-history", "allocations:case-history", "change-log", "change-log-csv"],
)
def test_the_head_of_service_is_not_shown_the_findings(client, officer, head_of_service, page):
    application = _assessed(officer)
    client.force_login(head_of_service)
    args = [application.pk] if page.startswith("allocations:") else []
    response = client.get(reverse(page, args=args))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert FINDINGS not in content.decode()
    assert not SpecialCategoryView.objects.exists()


def test_an_auditor_sees_the_findings_on_the_history_page_and_the_showing_is_logged(
    client, officer, auditor
):
    application = _assessed(officer)
    client.force_login(auditor)
    page = client.get(reverse("allocations:application-history", args=[application.pk]))
    assert FINDINGS in page.content.decode()
    shown = SpecialCategoryView.objects.filter(user=auditor, where="history")
    assert {view.person for view in shown} == set(application.household.people.all())
    assert all("application:access_assessment" in view.fields for view in shown)


def test_the_change_log_trigger_withholds_the_findings_once_installed_again():
    from allocations.models import Application
    from config import changelog_writing

    spec = changelog_writing.table_spec(Application.history.model, Application._meta.label_lower)
    assert "access_assessment" in spec.hidden
