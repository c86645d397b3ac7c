from django.contrib import admin

from config.admin import HistoryAdmin, person_column
from residents.models import (
    Breach,
    HandbookSection,
    Household,
    Licence,
    Person,
    SpecialCategoryView,
)

SPECIAL_CATEGORY_PERMISSION = "config.view_special_category"


class PersonInline(admin.TabularInline):
    model = Person
    fk_name = "household"
    extra = 0
    # Never the special-category fields here: administrators do not hold the permission.
    fields = ["first_name", "last_name", "date_of_birth", "relationship", "sex"]


@admin.register(Household)
class HouseholdAdmin(HistoryAdmin):
    list_display = ["reference", "town", "postcode", "unit"]
    search_fields = ["reference", "postcode", "people__last_name"]
    inlines = [PersonInline]
    raw_id_fields = ["unit"]
    list_select_related = ["unit__site"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["first_name", "last_name", "date_of_birth", "household"]
    search_fields = ["first_name", "last_name", "household__reference"]
    raw_id_fields = ["household", "partner"]
    list_select_related = ["household"]

    def get_exclude(self, request, obj=None):
        # Special-category data only for those allowed to see it (UK GDPR art. 9).
        if request.user.has_perm(SPECIAL_CATEGORY_PERMISSION):
            return super().get_exclude(request, obj)
        return [*(super().get_exclude(request, obj) or []), *Person.SPECIAL_CATEGORY_FIELDS]


@admin.register(SpecialCategoryView)
class SpecialCategoryViewAdmin(admin.ModelAdmin):
    """The log of who saw special-category data: read-only, it is evidence."""

    list_display = ["viewed_at", person_column("user", "Shown to"), "person", "where", "fields"]
    list_filter = ["where"]
    search_fields = ["user__username", "user__last_name", "person__last_name"]
    list_select_related = ["user", "person"]
    date_hierarchy = "viewed_at"
    readonly_fields = ["person", "user", "fields", "where", "viewed_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(HistoryAdmin):
    """Look-up only: licences, breaches and the handbook change through the service's pages,
    where the rules run and the reasons are recorded."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["reference", "household", "unit", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["reference", "household__reference"]
    list_select_related = ["household", "unit__site"]


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ["licence", "category", "observed_on", "status"]
    list_filter = ["status", "category"]
    search_fields = ["licence__reference"]
    list_select_related = ["licence__unit__site"]


@admin.register(HandbookSection)
class HandbookSectionAdmin(ReadOnlyAdmin):
    list_display = ["heading", "site", "topic", "position"]
    list_filter = ["topic"]
    list_select_related = ["site"]
