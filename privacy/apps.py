from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from residents.panels import HOUSEHOLD_ACTIONS

        HOUSEHOLD_ACTIONS.register(template="privacy/includes/household_actions.html")
