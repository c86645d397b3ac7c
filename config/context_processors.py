from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from config.roles import user_roles

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
    ("Census", "census:round-list", "census.view_censusround", "/census/"),
    ("Projects", "projects:project-list", "projects.view_project", "/projects/"),
    ("Change log", "change-log", "config.view_change_log", "/change-log/"),
]


def service(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    navigation = []
    roles = []
    if user is not None and user.is_authenticated:
        roles = [role.label for role in user_roles(user)]
        # The longest prefix the path starts with wins: /households/licences/ is Licences,
        # not Households.
        matching = [p for *_, p in _NAVIGATION if p and request.path.startswith(p)]
        best = max(matching, key=len, default=None)
        for label, url_name, permission, prefix in _NAVIGATION:
            if permission and not user.has_perm(permission):
                continue
            url = reverse(url_name)
            active = request.path == url if prefix is None else prefix == best
            navigation.append({"label": label, "url": url, "active": active})
        if user.is_superuser or "Administrator" in roles:
            navigation.append(
                {"label": "Administration", "url": reverse("admin:index"), "active": False}
            )
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
        "user_roles": roles,
    }
