from django.contrib import admin

from config.admin import HistoryAdmin, person_column
from sites.models import ProviderStaff, RegisteredProvider, Site, Unit


@admin.register(Site)
class SiteAdmin(HistoryAdmin):
    list_display = ["name", "reference", "kind", "status", "town"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "reference", "town", "postcode"]


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["reference", "site", "kind", "status"]
    list_filter = ["kind", "status", "site"]
    search_fields = ["reference", "site__name"]
    list_select_related = ["site"]


@admin.register(RegisteredProvider)
class RegisteredProviderAdmin(HistoryAdmin):
    list_display = ["name", "contact_email", "first_lets_share", "relets_share", "active"]
    search_fields = ["name"]


@admin.register(ProviderStaff)
class ProviderStaffAdmin(HistoryAdmin):
    list_display = [person_column("user", "Staff member"), "provider"]
    list_select_related = ["user", "provider"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "provider__name"]
