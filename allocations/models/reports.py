from django.db import models


class Reports(models.Model):
    """Holds the permission to read the management reports (no table: reports own no data)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reports", "Can read the management reports")]

    def __str__(self) -> str:
        return "Management reports"
