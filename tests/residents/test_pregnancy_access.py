"""A pregnancy is health data: its due date and its evidence only for the roles that need them,
each showing logged; the bedroom need still counts the expected child."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.models import EvidenceDocument
from config.kernel.dates import page_date
from residents.models import SpecialCategoryView
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EVIDENCE = "MATB1 form seen on 2 December"


def _expecting(household):
    due = timezone.localdate() + timedelta(days=90)
    return PersonFactory(
        household=household,
        relationship="partner",
        sex="female",
        pregnancy_due_date=due,
        pregnancy_evidence=EVIDENCE,
    ), due


@pytest.mark.parametrize("role", ["business_support", "sites_manager", "head_of_service"])
def test_roles_without_health_data_do_not_see_a_due_date_on_the_household_page(
    client, user_for_role, role
):
    application = ActiveApplicationFactory()
    _expecting(application.household)
    client.force_login(user_for_role(role))
    page = client.get(application.household.get_absolute_url()).content.decode()
    assert "Baby due" not in page and EVIDENCE not in page
    assert not SpecialCategoryView.objects.exists()


def test_an_officer_sees_the_due_date_and_the_showing_is_logged(client, officer):
    application = ActiveApplicationFactory()
    person, _ = _expecting(application.household)
    client.force_login(officer)
    page = client.get(application.household.get_absolute_url()).content.decode()
    assert "Baby due" in page
    view = SpecialCategoryView.objects.get(person=person, where="household")
    assert {"pregnancy_due_date", "pregnancy_evidence"} <= set(view.fields)


def test_the_history_page_hides_a_due_date_from_the_head_of_service(client, head_of_service):
    application = ActiveApplicationFactory()
    person, due = _expecting(application.household)
    client.force_login(head_of_service)
    page = client.get(reverse("residents:person-history", args=[person.pk])).content.decode()
    assert EVIDENCE not in page and page_date(due) not in page
    assert "hidden: special-category data" in page


def test_the_application_page_counts_the_expected_child_without_saying_why_to_others(
    client, officer, head_of_service, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # A lettings application: a pitch application shows pitch need, not bedroom reasons.
    application = ActiveApplicationFactory(scheme="cbl")
    _expecting(application.household)
    services.application_assess(application=application, criteria=[], by=officer)
    services.evidence_attach(
        application=application,
        kind=EvidenceDocument.Kind.PREGNANCY,
        description=EVIDENCE,
        upload=SimpleUploadedFile("matb1.pdf", b"%PDF-1.4 a form", content_type="application/pdf"),
        by=officer,
    )
    url = application.get_absolute_url()

    client.force_login(head_of_service)
    page = client.get(url).content.decode()
    assert "expected child" not in page and EVIDENCE not in page and "MATB1" not in page
    assert "another member of the household" in page
    assert not SpecialCategoryView.objects.exists()

    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "expected child" in page and EVIDENCE in page
    assert SpecialCategoryView.objects.filter(where="application", user=officer).exists()
    document = EvidenceDocument.objects.get()
    client.get(reverse("allocations:evidence-download", args=[document.pk]))
    assert SpecialCategoryView.objects.filter(where="evidence-download", user=officer).exists()


def test_administrators_do_not_see_a_due_date_in_the_admin(client, administrator):
    application = ActiveApplicationFactory()
    person, _ = _expecting(application.household)
    client.force_login(administrator)
    page = client.get(reverse("admin:residents_person_change", args=[person.pk])).content.decode()
    assert EVIDENCE not in page and "pregnancy" not in page.lower()
