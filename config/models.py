from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from simple_history import register


class Access(models.Model):
    """Holds the service-wide permissions that belong to no single record type."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_change_log", "Can read the change log across the whole system"),
            ("view_special_category", "Can see special-category personal data"),
            ("view_criminal_records", "Can see criminal-record (Article 10) information"),
        ]

    def __str__(self) -> str:
        return "Service-wide access"


# Who can do what is itself audited: changes to accounts and roles keep a history row, with
# the roles and direct permissions each held (a change to those alone makes a row too).
register(
    get_user_model(),
    app=__package__,
    table_name="config_historicaluser",
    m2m_fields=["groups", "user_permissions"],
)
register(Group, app=__package__, table_name="config_historicalgroup", m2m_fields=["permissions"])
