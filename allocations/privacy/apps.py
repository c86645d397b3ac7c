from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    # A package of the allocations app (the top level stays as it is), its own Django app
    # under the label "privacy": its tables, permissions and migrations are privacy.*.
    name = "allocations.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from residents.panels import HOUSEHOLD_ACTIONS

        HOUSEHOLD_ACTIONS.register(template="privacy/includes/household_actions.html")
