from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and work"

    def ready(self) -> None:
        from projects import (
            predicates,  # noqa: F401 (registers the object permissions)
            selectors,  # noqa: F401 (registers its change-log row rules)
        )
