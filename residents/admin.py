from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from residents.models import Household, Person


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "unit"]
    search_fields = ["reference", "people__last_name"]
    inlines = [PersonInline]
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["first_name", "last_name", "date_of_birth", "household"]
    search_fields = ["first_name", "last_name", "household__reference"]
    raw_id_fields = ["household"]
