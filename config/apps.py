from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ConfigAppConfig(AppConfig):
    """Project-wide plumbing: roles, the history viewer, the change log, health."""

    name = "config"
    label = "config"
    verbose_name = "Service configuration"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from config import history

        post_migrate.connect(history.history_tables_protect, sender=self)
        from config.forms import plain_error_messages

        plain_error_messages()


class CouncilAdminConfig(AdminConfig):
    default_site = "config.admin.CouncilAdminSite"
