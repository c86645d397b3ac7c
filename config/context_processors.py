import contextlib

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from config.accounts.permissions import menu_cache_key, permissions_cache_key
from config.kernel.cached import cache_forget, cache_get, cache_set
from config.roles import user_roles

# The menu and role names of a user, computed once and kept until their roles (or a role's
# permissions) change: signals in config/apps.py delete the key. An hour at most regardless.
MENU_CACHE_SECONDS = 60 * 60

# (label, url name, permission needed or None for every signed-in user, url prefix for "active")
_NAVIGATION = [
    ("Home", "home", None, None),
    ("Sites", "sites:site-list", "sites.view_site", "/sites/"),
    ("Households", "residents:household-list", "residents.view_household", "/households/"),
    ("Licences", "residents:licence-list", "residents.view_licence", "/households/licences/"),
    ("Handbook", "residents:handbook", "residents.view_handbooksection", "/households/handbook/"),
    ("Breaches", "residents:breach-list", "residents.view_breach", "/households/breaches/"),
    (
        "Applications",
        "allocations:application-list",
        "allocations.view_application",
        "/allocations/applications/",
    ),
    (
        "Vacancies",
        "allocations:vacancy-list",
        "allocations.view_vacancy",
        "/allocations/vacancies/",
    ),
    # The weekly cycles of choice-based lettings: adverts, bids, closes and let results.
    (
        "Bidding cycles",
        "allocations:cycle-list",
        "allocations.view_vacancy",
        "/allocations/cycles/",
    ),
    (
        "Nominations",
        "allocations:nomination-list",
        "allocations.view_nomination",
        "/allocations/nominations/",
    ),
    (
        "Your nominations",
        "allocations:provider-nomination-list",
        "allocations.answer_nomination",
        "/allocations/provider/",
    ),
    ("Diary", "allocations:diary", "allocations.view_interview", "/allocations/diary/"),
    (
        "Decisions",
        "allocations:decision-queue",
        "allocations.approve_allocationdecision",
        "/allocations/decisions/",
    ),
    (
        "Partners",
        "allocations:partner-list",
        "allocations.view_partner",
        "/allocations/partners/",
    ),
    (
        "Policies",
        "allocations:policy-list",
        "allocations.view_policyversion",
        "/allocations/policies/",
    ),
    ("Post room", "allocations:post-room", "allocations.post_letter", "/allocations/post-room/"),
    (
        "Letter wording",
        "allocations:wording-list",
        "allocations.view_letterwording",
        "/allocations/letter-wording/",
    ),
    ("CORE returns", "allocations:core-export", "allocations.export_core", "/allocations/core/"),
    ("Census", "census:round-list", "census.view_censusround", "/census/"),
    ("Reports", "reports:index", "allocations.view_reports", "/reports/"),
    ("Projects", "projects:project-list", "projects.view_project", "/projects/"),
    ("Change log", "change-log", "config.view_change_log", "/change-log/"),
    (
        "Subject access",
        "privacy:sar-list",
        "privacy.view_subjectaccessrequest",
        "/privacy/subject-access/",
    ),
    ("Retention", "privacy:batch-list", "privacy.view_retentionbatch", "/privacy/retention/"),
]


def _menu(user) -> dict:
    """Roles and the menu's (label, url, prefix) for `user`: a roles query, two permission
    queries and a dozen URL reversals, so computed once and kept in the cache. Read with the
    user's permissions when the page asked for them (config.accounts.permissions: `menu_read`,
    None when the cache had none), else read here."""
    key = menu_cache_key(user)
    menu = user.menu_read if hasattr(user, "menu_read") else cache_get(key)
    if menu is None:
        roles = [role.label for role in user_roles(user)]
        items = [
            (label, reverse(url_name), prefix)
            for label, url_name, permission, prefix in _NAVIGATION
            if not permission or user.has_perm(permission)
        ]
        if user.is_superuser or "Administrator" in roles:
            items.append(("Administration", reverse("admin:index"), "/admin/"))
        menu = {"roles": roles, "items": items}
        cache_set(key, menu, MENU_CACHE_SECONDS)
        user.menu_read = menu
    return menu


def menu_forget(user) -> None:
    """Forget the user's menu and their permissions (config.accounts.permissions), and the
    menu this copy of the user read with them."""
    with contextlib.suppress(AttributeError):
        del user.menu_read
    cache_forget(menu_cache_key(user), permissions_cache_key(user))


def service(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    navigation = []
    roles = []
    if user is not None and user.is_authenticated:
        menu = _menu(user)
        roles = menu["roles"]
        # The longest prefix the path starts with wins: /households/licences/ is Licences,
        # not Households.
        matching = [p for *_, p in menu["items"] if p and request.path.startswith(p)]
        best = max(matching, key=len, default=None)
        for label, url, prefix in menu["items"]:
            if prefix == "/admin/":
                active = False
            else:
                active = request.path == url if prefix is None else prefix == best
            navigation.append({"label": label, "url": url, "active": active})
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
        "user_roles": roles,
    }
