"""A user's model permissions kept in the cache, so a page does not ask the database for them
(two queries, the user's own and their roles') on every request.

`CachedPermissions` sits before ModelBackend in AUTHENTICATION_BACKENDS and grants nothing
itself: it fills the user's `_perm_cache` from the cache (or from ModelBackend, then keeps
it), which ModelBackend reads instead of querying. Signals in config/apps.py forget a user's
permissions with their menu when their roles or permissions change, or a role's permissions
do; a migration (roles are changed by migrations, whose historical models send no signals
the live ones hear) forgets everyone's. A quarter of an hour at most regardless.
"""

from django.contrib.auth.backends import ModelBackend

from config.kernel.cached import cache_get_many, cache_set

PERMISSIONS_CACHE_SECONDS = 15 * 60


def menu_cache_key(user) -> str:
    """The key of the user's menu (config.context_processors), read with their permissions."""
    # date_joined tells apart two accounts that got the same id (a test database made again).
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return f"menu:{user.pk}:{joined:.6f}"


def permissions_cache_key(user) -> str:
    # date_joined tells apart two accounts that got the same id (a test database made again).
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return f"perms:{user.pk}:{joined:.6f}"


class CachedPermissions:
    """Answers no question itself; loads the permissions ModelBackend then reads. No
    `get_user`, like rules' backend: signing in (and the test client's force_login) goes on
    naming ModelBackend in the session."""

    def authenticate(self, request, **credentials) -> None:
        return None

    def _load(self, user_obj) -> None:
        if not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, "_perm_cache"):
            return
        key, menu_key = permissions_cache_key(user_obj), menu_cache_key(user_obj)
        # The page being served shows the menu too: both in one round trip to the cache.
        found = cache_get_many([key, menu_key])
        user_obj.menu_read = found.get(menu_key)  # None: not kept (context_processors._menu)
        permissions = found.get(key)
        if permissions is None:
            permissions = ModelBackend().get_all_permissions(user_obj)  # sets _perm_cache
            cache_set(key, set(permissions), PERMISSIONS_CACHE_SECONDS)
        else:
            user_obj._perm_cache = permissions

    def get_all_permissions(self, user_obj, obj=None) -> set:
        self._load(user_obj)
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        self._load(user_obj)
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        self._load(user_obj)
        return False
