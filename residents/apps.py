from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = "Households, residents and licences"

    def ready(self) -> None:
        from residents import predicates  # noqa: F401  (registers the object permissions)
        from residents.panels import unit_agreements
        from sites.panels import UNIT_LETTING

        UNIT_LETTING.register(
            template="residents/includes/unit_agreements.html", context=unit_agreements
        )
