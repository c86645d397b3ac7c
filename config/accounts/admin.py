"""Accounts and roles in the admin.

Administrators give people roles (groups) and deactivate accounts; only a superuser (made
with `createsuperuser` on the server) may grant superuser status or direct permissions, or
change a superuser's account. Nobody changes their own roles or flags. Every change to an
account or a role gives a reason, kept in its history with who made it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from config.accounts import services
from config.admin import HistoryAdmin
from config.forms import ReasonField
from config.kernel.records import history_stamp

User = get_user_model()

REASON_FIELDSET = ("Why", {"fields": ["reason"]})


class AccountChangeForm(UserChangeForm):
    reason = ReasonField()


class AccountCreationForm(AdminUserCreationForm):
    reason = ReasonField()


class GroupChangeForm(forms.ModelForm):
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
    fieldsets = (*UserAdmin.fieldsets, REASON_FIELDSET)
    add_fieldsets = (*UserAdmin.add_fieldsets, REASON_FIELDSET)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        locked = _locked_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), *sorted(locked)]

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
