from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.accounts import throttling, two_step
from config.accounts.forms import NewPasswordForm
from projects import views as project_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
    path("change-log/", views.change_log, name="change-log"),
    path("change-log.csv", views.change_log_csv, name="change-log-csv"),
    path("records-viewed/", views.records_viewed, name="records-viewed"),
    path("sites/", include("sites.urls")),
    path("households/", include("residents.urls")),
    path("allocations/", include("allocations.urls")),
    path("projects/", include("projects.urls")),
    path("census/", include("census.urls")),
    path("reports/", include("allocations.reports.urls")),
    path("privacy/", include("allocations.privacy.urls")),
    path("accounts/login/", throttling.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-step/", two_step.two_step_verify, name="two-step-verify"),
    path("accounts/two-step/set-up/", two_step.two_step_setup, name="two-step-setup"),
    path(
        "accounts/password-reset/",
        throttling.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_email_context={"service_name": settings.SERVICE_NAME},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]
