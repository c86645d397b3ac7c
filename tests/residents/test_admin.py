import pytest
from django.urls import reverse

from residents.models import Person, SpecialCategoryView
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_administrators_see_people_in_the_admin_without_special_category_data(
    client, administrator
):
    person = PersonFactory(health_notes="Registered partially sighted", ethnicity="roma")
    client.force_login(administrator)
    page = client.get(reverse("admin:residents_person_change", args=[person.pk])).content.decode()
    assert person.first_name in page
    assert "partially sighted" not in page and "Ethnic group" not in page
    household_page = client.get(
        reverse("admin:residents_household_change", args=[person.household_id])
    ).content.decode()
    assert person.first_name in household_page and "partially sighted" not in household_page


@pytest.mark.parametrize(
    "query",
    [
        {"ethnicity": "arab"},
        {"health_notes__icontains": "HIV"},
        {"gypsy_traveller_status": "yes"},
    ],
)
def test_administrators_cannot_find_people_by_special_category_data_in_the_admin(
    client, administrator, query
):
    # The list filtered by `?ethnicity=arab` told each listed person's ethnic group.
    PersonFactory(
        first_name="Alice", ethnicity="arab", health_notes="HIV", gypsy_traveller_status="yes"
    )
    PersonFactory(first_name="Bella", ethnicity="white_british")
    client.force_login(administrator)
    listed = client.get(reverse("admin:residents_person_changelist"), query)
    assert listed.status_code == 400 and b"Alice" not in listed.content
    households = client.get(
        reverse("admin:residents_household_changelist"),
        {f"people__{name}": value for name, value in query.items()},
    )
    assert households.status_code == 400
    # Ordinary look-ups still work.
    by_name = client.get(reverse("admin:residents_person_changelist"), {"first_name": "Alice"})
    assert by_name.status_code == 200 and b"Alice" in by_name.content


def test_a_superuser_may_find_people_by_ethnicity_in_the_admin(client, django_user_model):
    PersonFactory(first_name="Alice", ethnicity="arab")
    client.force_login(django_user_model.objects.create_superuser("root", password="x-1-long-pw"))
    listed = client.get(reverse("admin:residents_person_changelist"), {"ethnicity": "arab"})
    assert listed.status_code == 200 and b"Alice" in listed.content


def test_administrators_cannot_open_a_past_version_of_a_person_in_the_admin(client, administrator):
    person = PersonFactory()
    version = person.history.get()
    url = reverse("admin:residents_person_simple_history", args=[person.pk, version.history_id])
    client.force_login(administrator)
    assert client.get(url).status_code == 403


def test_the_log_of_viewings_is_read_only_in_the_admin(client, django_user_model, officer):
    superuser = django_user_model.objects.create_superuser("root", password="x-long-password-1")
    Person.special_category_view_log(
        record=PersonFactory(), user=officer, fields=["ethnicity"], where="household"
    )
    view = SpecialCategoryView.objects.get()
    client.force_login(superuser)
    assert client.get(reverse("admin:residents_specialcategoryview_changelist")).status_code == 200
    assert client.get(reverse("admin:residents_specialcategoryview_add")).status_code == 403
    change_url = reverse("admin:residents_specialcategoryview_change", args=[view.pk])
    page = client.get(change_url).content.decode()
    assert 'name="_save"' not in page  # shown, but nothing to save
    assert client.post(change_url, {"where": "elsewhere"}).status_code == 403
    delete_url = reverse("admin:residents_specialcategoryview_delete", args=[view.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    view.refresh_from_db()
    assert view.where == "household"
