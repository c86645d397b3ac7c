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
        post_migrate.connect(history.change_log_triggers_install, sender=self)
        # Signing in is not a change: last_login is stamped without a history row.
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(history.last_login_stamp, dispatch_uid="update_last_login")


class CouncilAdminConfig(AdminConfig):
    default_site = "config.admin.CouncilAdminSite"
