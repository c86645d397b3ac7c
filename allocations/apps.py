from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = "Allocations"

    def ready(self) -> None:
        from allocations import predicates  # noqa: F401  (registers the object permissions)
        from allocations.panels import tenancy_letters, unit_letting
        from allocations.services.tenancy_letters import tenancy_review_letter
        from residents.panels import HOUSEHOLD_ACTIONS, INTRODUCTORY_REVIEWED, TENANCY_LETTERS
        from sites.panels import UNIT_ACTIONS, UNIT_LETTING

        UNIT_ACTIONS.register(template="allocations/includes/unit_actions.html")
        UNIT_LETTING.register(
            template="allocations/includes/unit_letting.html", context=unit_letting
        )
        HOUSEHOLD_ACTIONS.register(template="allocations/includes/household_actions.html")
        TENANCY_LETTERS.register(
            template="allocations/includes/tenancy_letters.html", context=tenancy_letters
        )
        INTRODUCTORY_REVIEWED.register(tenancy_review_letter)
