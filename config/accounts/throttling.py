"""Sign-in and password-reset throttling beyond django-axes.

django-axes locks one username tried from one address (five failures, 15 minutes). These
add what it does not:

- **Password spraying**: one address trying many usernames, a few guesses each. Once
  `SIGN_IN_SPRAY_USERNAMES` different usernames have failed from an address within
  `SIGN_IN_SPRAY_MINUTES`, that address may not sign in at all until the window passes.
  Counted from axes' own failure log, so nothing new is stored.
- **Password reset**: at most `PASSWORD_RESET_PER_ADDRESS` requests from one address and
  `PASSWORD_RESET_PER_ACCOUNT` emails to one account per `PASSWORD_RESET_WINDOW_MINUTES`.
  Past the address's limit the page says so (429); past the account's, the page looks the
  same as ever and no email goes (it must not tell anyone which addresses have accounts).
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.accounts.forms import ResetRequestForm, SignInForm
from config.models import PasswordResetRequest


def sign_in_sprayed(ip_address: str | None) -> bool:
    """Whether this address has failed with too many different usernames lately."""
    if not ip_address:
        return False
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_SPRAY_MINUTES)
    usernames = (
        AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since)
        .values("username")
        .distinct()
        .count()
    )
    return usernames >= settings.SIGN_IN_SPRAY_USERNAMES


def _too_many(request: HttpRequest, minutes: int) -> HttpResponse:
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_timedelta": timedelta(minutes=minutes)},
        status=429,
    )


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if sign_in_sprayed(get_client_ip_address(request)):
            return _too_many(request, settings.SIGN_IN_SPRAY_MINUTES)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        ip_address = get_client_ip_address(request) or ""
        since = timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        if recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_PER_ADDRESS:
            return _too_many(request, settings.PASSWORD_RESET_WINDOW_MINUTES)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip_address = get_client_ip_address(self.request) or ""
        since = timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
        already = PasswordResetRequest.objects.filter(requested_at__gte=since, email=email).count()
        PasswordResetRequest.objects.create(ip_address=ip_address, email=email)
        if already >= settings.PASSWORD_RESET_PER_ACCOUNT:
            # The same page as a sent email, so it tells no one whether the account exists.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)
