"""Two people starting a project of the same name at the same moment (or one pressing Save
twice): the second is told the name is taken, as one person is, never a server error."""

from django.urls import reverse

from projects.models import Project
from tests.factories import UserFactory
from tests.races import saved_by_someone_else_first


def test_a_project_started_twice_at_once_tells_the_second_the_name_is_taken(
    transactional_db, client, head_of_service
):
    posted = {"name": "New pitches", "lead": head_of_service.pk, "status": "active", "rag": "green"}
    client.force_login(head_of_service)
    other = UserFactory(roles=["head_of_service"])
    with saved_by_someone_else_first(
        Project, lambda: Project.objects.create(name="New pitches", lead=other)
    ):
        response = client.post(reverse("projects:project-create"), posted)
    assert response.status_code == 400
    assert "A project with this name already exists" in response.content.decode()
    assert Project.objects.get().lead == other
    again = client.post(reverse("projects:project-create"), posted)
    assert "A project with this name already exists" in again.content.decode()
