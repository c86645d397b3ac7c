from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "Sites and units"

    def ready(self) -> None:
        from projects.panels import HOME
        from sites.panels import home_summary

        HOME.register(template="sites/includes/home_summary.html", context=home_summary)
