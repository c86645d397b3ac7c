from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from config import history
from config.roles import ADMINISTRATOR

SPECIAL_CATEGORY_PERMISSION = "config.view_special_category"


def person_column(field: str, label: str):
    """A list column naming the staff member in `field` (a user) by name, not username, as the
    service's own pages do."""

    @admin.display(description=label, ordering=f"{field}__last_name")
    def column(obj) -> str:
        user = getattr(obj, field)
        return "" if user is None else user.get_full_name() or user.get_username()

    column.__name__ = f"{field}_name"
    return column


class CouncilAdminSite(admin.AdminSite):
    """The Django admin, for administrators only, signed in through the service's own page."""

    site_header = "Allocations administration"
    site_title = "Allocations administration"
    index_title = "Users, roles and reference data"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (
            user.is_superuser or user.groups.filter(name=ADMINISTRATOR.name).exists()
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            # Signed in but not an administrator: refuse plainly rather than ask to sign in again.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request: HttpRequest, extra_context=None):
        # One sign-in page for the whole service, with its throttling; none of the admin's own.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())


def special_category_lookup(model, lookup: str) -> bool:
    """Whether a changelist lookup (`ethnicity`, `health_notes__icontains`,
    `people__ethnicity`) filters on a special-category field of `model` or of a model it
    reaches: the records it lists would tell the value without showing it."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.name in history.special_category_fields(model):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


class SpecialCategoryLookups(admin.ModelAdmin):
    """A changelist filtered by a special-category value (`?ethnicity=...`) tells each listed
    record's value as surely as showing it: refused (a 400) to roles without
    `config.view_special_category`, as the record's own page hides those fields."""

    def lookup_allowed(self, lookup, value, request=None):
        if special_category_lookup(self.model, lookup) and not (
            request is not None and request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


class HistoryAdmin(SpecialCategoryLookups, SimpleHistoryAdmin):
    """simple-history's admin under the rules of the service's own History pages: a model's
    special-category fields (`SPECIAL_CATEGORY_FIELDS`) are hidden from roles without
    `config.view_special_category`, and every showing to those with it is logged."""

    def _special_fields(self, request: HttpRequest) -> tuple[set[str], bool]:
        special = history.special_category_fields(self.model)
        return special, bool(special) and request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        special, allowed = self._special_fields(request)
        if not special:
            return
        labels = {
            capfirst(str(self.model._meta.get_field(name).verbose_name)): name for name in special
        }
        shown: set[str] = set()
        for record in historical_records:
            for change in getattr(record, "history_delta_changes", None) or []:
                name = labels.get(str(change["field"]))
                if name is None:
                    continue
                if allowed:
                    shown.add(name)
                else:
                    change["old"] = change["new"] = history.HIDDEN
        if shown:
            self._special_showing_log(
                request, request.history_object_id, fields=sorted(shown), where="admin-history"
            )

    def history_view(self, request, object_id, extra_context=None):
        # The object shown, for the log (set_history_delta_changes is given only the rows).
        request.history_object_id = object_id
        return super().history_view(request, object_id, extra_context)

    def _special_showing_log(
        self, request: HttpRequest, object_id, *, fields: list[str], where: str
    ) -> None:
        record = self.model._default_manager.filter(pk=object_id).first()
        if record is not None:
            self.model.special_category_view_log(
                record=record, user=request.user, fields=fields, where=where
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The record's own page shows its special-category fields to those allowed them (a
        # superuser): a showing like any other, so logged as the service's pages log theirs.
        response = super().change_view(request, object_id, form_url, extra_context)
        special, allowed = self._special_fields(request)
        if special and allowed and response.status_code == 200:
            record = self.model._default_manager.filter(pk=object_id).first()
            shown = special - set(self.get_exclude(request, record) or [])
            if record is not None and shown:
                self.model.special_category_view_log(
                    record=record, user=request.user, fields=sorted(shown), where="admin-record"
                )
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is a whole form: every field, special-category ones included.
        special, allowed = self._special_fields(request)
        if special and not allowed:
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if special and response.status_code == 200:
            self._special_showing_log(
                request, object_id, fields=sorted(special), where="admin-history-version"
            )
        return response
