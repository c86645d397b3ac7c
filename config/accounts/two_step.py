"""Two-step sign-in (django-otp): a code from an authenticator app (TOTP), or a one-off
recovery code, after the password, for every account whose role requires it.

- `TwoStepRequiredMiddleware`: a signed-in user whose role is in `TWO_STEP_REQUIRED_ROLES`
  (and every superuser) reaches nothing but the two-step pages until the session is verified;
  without a device yet, they are sent to set one up.
- `two_step_verify`: the second step. `two_step_setup`: the QR code (SVG drawn on the server:
  the CSP allows no inline script) and, once a first code is right, ten recovery codes shown
  once. `two_step_reset` (the admin): an administrator removes someone's devices, with a
  reason kept in the account's history; they set up again at their next sign-in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.services import user_sessions_end
from config.forms import Form
from config.kernel.records import history_stamp, reason_required

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_step_required(user: AbstractBaseUser) -> bool:
    """Whether this account must pass the second step: superusers always; staff by role
    (`TWO_STEP_REQUIRED_ROLES`, every staff role unless set otherwise). With the demo-only
    `TWO_STEP_DEMO_OPTIONAL`, an account without a device yet is let through."""
    if not user.is_authenticated or not user.is_active:
        return False
    required = (
        user.is_superuser
        or user.groups.filter(  # type: ignore[attr-defined]
            name__in=settings.TWO_STEP_REQUIRED_ROLES
        ).exists()
    )
    if required and settings.TWO_STEP_DEMO_OPTIONAL and not user_has_device(user):
        return False
    return required


def _exempt(view_func: Callable) -> bool:
    # The pages reachable before signing in (sign-in, sign-out, password reset, health) and
    # the two-step pages themselves.
    return getattr(view_func, "login_required", True) is False or getattr(
        view_func, "two_step_exempt", False
    )


def two_step_exempt(view_func: Callable) -> Callable:
    view_func.two_step_exempt = True  # type: ignore[attr-defined]
    return view_func


class TwoStepRequiredMiddleware:
    """After django-otp's OTPMiddleware and LoginRequiredMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if _exempt(view_func) or not user.is_authenticated or user.is_verified():
            return None
        if not two_step_required(user):
            return None
        target = "two-step-verify" if user_has_device(user) else "two-step-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


class CodeForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={"required": "Enter the code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _device_matching(user: AbstractBaseUser, code: str):
    """The confirmed device that accepts `code` (a recovery code is used up), or None. Each
    device throttles wrong codes itself (django-otp: ever longer waits after each)."""
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def _session_verified(request: HttpRequest, device) -> None:
    # A new session key once the second step is passed, as after a password.
    request.session.cycle_key()
    otp_login(request, device)


@two_step_exempt
@require_http_methods(["GET", "POST"])
def two_step_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('two-step-setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _device_matching(request.user, form.cleaned_data["code"])
        if device is not None:
            _session_verified(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right, or has been used. Try the next one")
    return render(
        request,
        "registration/two_step_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def _qr_svg(text: str) -> str:
    """The QR code as SVG markup, drawn here: no script, no image from elsewhere."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # The XML declaration has no place inside an HTML page; screen readers get a name.
    svg = svg[svg.index("<svg") :]
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1
    )


def _key_in_groups(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def recovery_codes_issue(user: AbstractBaseUser) -> list[str]:
    """Ten new one-off recovery codes, replacing any earlier ones; shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@two_step_exempt
@require_http_methods(["GET", "POST"])
def two_step_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user):
        # Setting up again is for a verified session only (or after an administrator's reset).
        if not user.is_verified():
            return redirect(
                f"{reverse('two-step-verify')}?{urlencode({'next': _next_url(request)})}"
            )
        return render(request, "registration/two_step_done.html", {"next": _next_url(request)})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            accepted = locked.verify_token(form.cleaned_data["code"])
            if accepted:
                locked.confirmed = True
                locked.save(update_fields=["confirmed"])
                codes = recovery_codes_issue(user)
        if accepted:
            _session_verified(request, locked)
            return render(
                request,
                "registration/two_step_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", "The code is not right. Enter the code your app shows now")
    return render(
        request,
        "registration/two_step_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - drawn by qrcode
            "key": _key_in_groups(device),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@transaction.atomic
def two_step_reset(*, user: AbstractBaseUser, by: AbstractBaseUser, reason: str) -> None:
    """Remove every two-step device of `user` (a lost phone, say) and end their sessions:
    they set up a new one at their next sign-in. The reason is kept in the account's
    history, with who reset it."""
    reason = reason_required(reason)
    if user.pk == by.pk:
        raise PermissionDenied("Ask another administrator to reset your two-step sign-in.")
    if user.is_superuser and not by.is_superuser:  # type: ignore[attr-defined]
        raise PermissionDenied
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    history_stamp(user, by=by, reason=f"Two-step sign-in reset: {reason}")
    user.save()
    user_sessions_end(user)
