from django.contrib import admin

from config.admin import HistoryAdmin
from sites.models import Site, Unit


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
