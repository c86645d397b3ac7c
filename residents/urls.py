from django.urls import path

from config.views import record_history
from residents import views
from residents.models import Household, Person

app_name = "residents"

# Only opaque ids in paths and query strings: never a name, date of birth or postcode.
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/history/", record_history, {"model": Household}, name="household-history"),
    path("<int:household_pk>/people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/history/", record_history, {"model": Person}, name="person-history"),
    path(
        "special-category-views/",
        views.special_category_views,
        name="special-category-views",
    ),
]
