import pytest
from django.urls import reverse

from config.history import HIDDEN
from residents.models import SpecialCategoryView
from residents.services import person_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person_with_changed_health(officer):
    person = PersonFactory(health_notes="Asthma", ethnicity="roma")
    person_update(
        person=person,
        by=officer,
        reason="Told us at interview",
        health_notes="Registered partially sighted",
        ethnicity="irish_traveller",
    )
    return person


def test_the_admins_history_page_hides_special_category_changes_from_administrators(
    client, administrator, officer
):
    person = _person_with_changed_health(officer)
    client.force_login(administrator)
    response = client.get(reverse("admin:residents_person_history", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "partially sighted" not in page and "Asthma" not in page
    assert "Irish Traveller" not in page and "irish_traveller" not in page
    assert HIDDEN in page
    assert not SpecialCategoryView.objects.exists()


def test_the_admins_history_page_logs_special_category_changes_shown(
    client, officer, django_user_model
):
    person = _person_with_changed_health(officer)
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    client.force_login(superuser)
    page = client.get(reverse("admin:residents_person_history", args=[person.pk])).content.decode()
    assert "partially sighted" in page
    view = SpecialCategoryView.objects.get()
    assert (view.user, view.person, view.where) == (superuser, person, "admin-history")
    assert set(view.fields) == {"ethnicity", "health_notes"}


def test_the_admins_record_page_logs_the_special_category_fields_it_shows(
    client, django_user_model
):
    person = PersonFactory(health_notes="Registered partially sighted", ethnicity="roma")
    superuser = django_user_model.objects.create_superuser("root", password="a-long-root-pass-9")
    client.force_login(superuser)
    page = client.get(reverse("admin:residents_person_change", args=[person.pk]))
    assert "partially sighted" in page.content.decode()
    view = SpecialCategoryView.objects.get()
    assert (view.user, view.person, view.where) == (superuser, person, "admin-record")
    assert set(view.fields) == set(person.SPECIAL_CATEGORY_FIELDS)


def test_the_admins_record_page_shows_and_logs_nothing_special_to_administrators(
    client, administrator
):
    person = PersonFactory(health_notes="Registered partially sighted")
    client.force_login(administrator)
    page = client.get(reverse("admin:residents_person_change", args=[person.pk]))
    assert page.status_code == 200
    assert "partially sighted" not in page.content.decode()
    assert not SpecialCategoryView.objects.exists()
