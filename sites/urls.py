from django.urls import path

from config.views import record_history
from sites import views
from sites.models import Site, Unit

app_name = "sites"

urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("new/", views.site_create, name="site-create"),
    path("voids/", views.void_list, name="void-list"),
    path("<int:pk>/", views.site_detail, name="site-detail"),
    path("<int:pk>/edit/", views.site_edit, name="site-edit"),
    path("<int:pk>/history/", record_history, {"model": Site}, name="site-history"),
    path("<int:site_pk>/units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/history/", record_history, {"model": Unit}, name="unit-history"),
]
