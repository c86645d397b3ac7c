from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = "Allocations"

    def ready(self) -> None:
        from allocations import predicates  # noqa: F401  (registers the object permissions)
        from residents.panels import HOUSEHOLD_ACTIONS
        from sites.panels import UNIT_ACTIONS

        UNIT_ACTIONS.register(template="allocations/includes/unit_actions.html")
        HOUSEHOLD_ACTIONS.register(template="allocations/includes/household_actions.html")
