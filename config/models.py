from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
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


class PasswordResetRequest(models.Model):
    """A request for a password reset email, kept to limit them per address and per account
    (config/accounts/throttling.py)."""

    ip_address = models.CharField("address", max_length=45, blank=True)
    email = models.EmailField("email asked for")
    requested_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "password reset request"
        default_permissions = ()
        indexes = [
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address"),
            models.Index(fields=["email", "requested_at"], name="reset_request_email"),
        ]

    def __str__(self) -> str:
        return f"Password reset for {self.email}"


# Who can do what is itself audited: changes to accounts and roles keep a history row, with
# the roles and direct permissions each held (a change to those alone makes a row too).
register(
    get_user_model(),
    app=__package__,
    table_name="config_historicaluser",
    m2m_fields=["groups", "user_permissions"],
)
register(Group, app=__package__, table_name="config_historicalgroup", m2m_fields=["permissions"])
