from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from config.roles import ADMINISTRATOR


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
