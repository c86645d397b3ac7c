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
        from config.accounts import admin as accounts_admin
        from config.accounts import checks  # noqa: F401 - registers the deploy checks
        from config.kernel import database

        post_migrate.connect(history.history_tables_protect, sender=self)
        # After the trigger: the application role gets its rights on every table, as it is now.
        post_migrate.connect(database.application_grants, sender=self)
        # Accounts and roles in the admin replace django.contrib.auth's own (registered by
        # the admin's autodiscovery, which runs before this).
        accounts_admin.register()


class CouncilAdminConfig(AdminConfig):
    default_site = "config.admin.CouncilAdminSite"
