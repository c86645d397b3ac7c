"""Accounts and roles in the admin.

Administrators give people roles (groups) and deactivate accounts; only a superuser (made
with `createsuperuser` on the server) may grant superuser status or direct permissions, or
change a superuser's account. Nobody changes their own roles or flags. Every change to an
account or a role gives a reason, kept in its history with who made it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp import user_has_device

from config.accounts import services, two_step
from config.admin import HistoryAdmin
from config.forms import Form, ModelForm, ReasonField
from config.kernel.inputs import CleanInputMixin
from config.kernel.records import history_stamp

User = get_user_model()

REASON_FIELDSET = ("Why", {"fields": ["reason"]})


class AccountChangeForm(CleanInputMixin, UserChangeForm):
    reason = ReasonField()


class AccountCreationForm(CleanInputMixin, AdminUserCreationForm):
    reason = ReasonField()


class TwoStepResetForm(Form):
    reason = ReasonField(help_text="For example: lost phone, reported by phone on 3 December.")


class GroupChangeForm(ModelForm):
    reason = ReasonField()

    class Meta:
        model = Group
        fields = ["name", "permissions"]


def _locked_fields(request: HttpRequest, obj) -> set[str]:
    locked: set[str] = set()
    if not request.user.is_superuser:
        locked.update(services.SUPERUSER_ONLY)
    if obj is not None and obj.pk == request.user.pk:
        locked.update(services.OWN_ACCOUNT_LOCKED)
    return locked


class AccountAdmin(HistoryAdmin, UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    actions = None
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Two-step sign-in", {"fields": ["two_step"]}),
        REASON_FIELDSET,
    )
    add_fieldsets = (*UserAdmin.add_fieldsets, REASON_FIELDSET)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        locked = _locked_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "two_step", *sorted(locked)]

    @admin.display(description="Two-step sign-in")
    def two_step(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Set up at first sign-in"
        if not user_has_device(obj):
            return "Not set up (asked at the next sign-in)"
        return format_html(
            'Set up. <a href="{}">Reset two-step sign-in</a> (for a lost phone)',
            reverse("admin:auth_user_two_step_reset", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/two-step-reset/",
                self.admin_site.admin_view(self.two_step_reset_view),
                name="auth_user_two_step_reset",
            ),
            *super().get_urls(),
        ]

    def two_step_reset_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """An administrator removes someone's two-step devices (a lost phone), saying why."""
        # The admin's own look-up: an id that is no account's, or no number at all, is a 404.
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404("No such account")
        if not self.has_change_permission(request, user) or user.pk == request.user.pk:
            raise PermissionDenied
        form = TwoStepResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                two_step.two_step_reset(
                    user=user, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error.messages[0])
            else:
                messages.success(
                    request,
                    f"Two-step sign-in for {user.get_full_name() or user.username} was reset. "
                    "They set it up again when they next sign in.",
                )
                return redirect(reverse("admin:auth_user_change", args=[user.pk]))
        return TemplateResponse(
            request,
            "admin/auth/user/two_step_reset.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reset two-step sign-in",
                "form": form,
                "account": user,
                "opts": self.model._meta,
            },
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A superuser's account (its password above all) is for superusers alone.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # deactivate instead: history rows point at the account

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        locked = _locked_fields(request, obj if change else None)
        if locked & set(form.changed_data):
            raise PermissionDenied
        history_stamp(obj, by=request.user, reason=form.cleaned_data["reason"])
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_sessions_end(obj)


class RoleAdmin(HistoryAdmin, GroupAdmin):
    form = GroupChangeForm

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        history_stamp(obj, by=request.user, reason=form.cleaned_data["reason"])
        super().save_model(request, obj, form, change)


def register() -> None:
    """Put these in place of django.contrib.auth's own admin (config's AppConfig.ready)."""
    for model, model_admin in ((User, AccountAdmin), (Group, RoleAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
