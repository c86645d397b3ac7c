from django.urls import path

from allocations.privacy import views

app_name = "privacy"

urlpatterns = [
    path("subject-access/", views.sar_list, name="sar-list"),
    path("subject-access/new/<int:person_id>/", views.sar_create, name="sar-create"),
    path(
        "subject-access/new/purchaser/<int:purchaser_id>/",
        views.sar_create_purchaser,
        name="sar-create-purchaser",
    ),
    path("subject-access/<int:pk>/", views.sar_detail, name="sar-detail"),
    path("subject-access/<int:pk>/withhold/", views.sar_exemption, name="sar-exemption"),
    path("subject-access/<int:pk>/export/", views.sar_export, name="sar-export"),
    path("subject-access/<int:pk>/answered/", views.sar_answer, name="sar-answer"),
    path("retention/", views.batch_list, name="batch-list"),
    path("retention/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("retention/<int:pk>/confirm/", views.batch_confirm, name="batch-confirm"),
    path("retention/<int:pk>/cancel/", views.batch_cancel, name="batch-cancel"),
    path("retention/register/", views.purge_register, name="purge-register"),
]
