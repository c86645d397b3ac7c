from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = "Households, residents and licences"

    def ready(self) -> None:
        from residents import predicates  # noqa: F401  (registers the object permissions)
