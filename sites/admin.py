from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sites.models import Site, Unit


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "reference", "kind", "status", "town"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "reference", "town", "postcode"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "site", "kind", "status"]
    list_filter = ["kind", "status", "site"]
    search_fields = ["reference", "site__name"]
    list_select_related = ["site"]
