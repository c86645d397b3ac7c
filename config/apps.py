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

        history.history_descriptors_once()
        post_migrate.connect(history.history_tables_protect, sender=self)
        post_migrate.connect(history.change_log_triggers_install, sender=self)
        # After the trigger: the application role gets its rights on every table, as it is now.
        post_migrate.connect(database.application_grants, sender=self)
        # Accounts and roles in the admin replace django.contrib.auth's own (registered by
        # the admin's autodiscovery, which runs before this).
        accounts_admin.register()
        # Signing in is not a change: last_login is stamped without a history row.
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(history.last_login_stamp, dispatch_uid="update_last_login")
        from config.forms import plain_error_messages

        plain_error_messages()
        _menu_invalidation_connect(self)


def _menu_invalidation_connect(app_config: AppConfig) -> None:
    """The cached menu (config.context_processors) and permissions (config.accounts.
    permissions) are forgotten when a user's roles or permissions change, or a role's
    permissions do; everyone's after a migration (which changes roles through historical
    models, whose signals these do not hear)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_delete

    from config.context_processors import menu_forget

    User = get_user_model()

    def forget(users) -> None:
        for user in users:
            menu_forget(user)

    def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
        """A user's groups or permissions, from either side of the relation."""
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if not reverse:
            menu_forget(instance)
        elif pk_set:
            forget(User.objects.filter(pk__in=pk_set))
        else:
            forget(User.objects.filter(groups=instance))

    def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        groups = [instance] if not reverse else Group.objects.filter(permissions=instance)
        forget(User.objects.filter(groups__in=groups).distinct())

    def user_saved(sender, instance, **kwargs):
        menu_forget(instance)

    def group_deleted(sender, instance, **kwargs):
        forget(User.objects.filter(groups=instance))

    def migrated(sender, using, **kwargs):
        # Forgetting never fails for want of the cache (config.kernel.cached): what it held
        # expires by itself (config.accounts.permissions: a quarter of an hour at most).
        forget(User.objects.using(using).only("pk", "date_joined"))

    post_migrate.connect(migrated, sender=app_config, weak=False)
    m2m_changed.connect(roles_changed, sender=User.groups.through, weak=False)
    m2m_changed.connect(roles_changed, sender=User.user_permissions.through, weak=False)
    m2m_changed.connect(group_permissions_changed, sender=Group.permissions.through, weak=False)
    post_save.connect(user_saved, sender=User, weak=False)
    pre_delete.connect(group_deleted, sender=Group, weak=False)


class CouncilAdminConfig(AdminConfig):
    default_site = "config.admin.CouncilAdminSite"
