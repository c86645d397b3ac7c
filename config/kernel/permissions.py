""" "Not allowed" in one shape everywhere: PermissionDenied, which Django answers with 403.

Each app states its object permissions as predicates with the `rules` package in
`<app>/predicates.py` (`rules.add_perm("app.do_thing", predicate)`); views and services ask
`require(user, "app.do_thing", obj)`.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied


def require(
    user: PermissionsMixin | AnonymousUser, permission: str, obj: Any = None, *, message: str = ""
) -> None:
    """Go on when `user` holds `permission` (for `obj`, where it is about one); else 403."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(message or "You do not have permission to do this.")
