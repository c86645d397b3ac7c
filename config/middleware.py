import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

_SIGNED_IN_AT = "session_signed_in_at"
_LAST_SEEN_AT = "session_last_seen_at"
# Writing the session on every request is wasteful; a minute's slack on a 30-minute
# idle timeout is harmless.
_LAST_SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Signs a user out after 30 idle minutes, and 12 hours after signing in whatever they do.

    Shared office computers are common; a session left open must not stay usable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.setdefault(_SIGNED_IN_AT, now)
            last_seen_at = request.session.get(_LAST_SEEN_AT, now)
            idle = now - last_seen_at > settings.SESSION_IDLE_TIMEOUT_SECONDS
            expired = now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT_SECONDS
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    "You were signed out because you had not used the service for 30 minutes."
                    if idle
                    else "You were signed out because you signed in more than 12 hours ago.",
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen_at >= _LAST_SEEN_RESOLUTION_SECONDS or _LAST_SEEN_AT not in (
                request.session
            ):
                request.session[_LAST_SEEN_AT] = now
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for signed-in users hold personal data: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class HealthCheckMiddleware:
    """Answers /health/ before the session and sign-in middleware run: they read the session
    from the database, so with the database down a request carrying a session cookie would
    otherwise fail with a 500 page instead of the health check's JSON 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == reverse("health"):
            from config.views import health

            return health(request)
        return self.get_response(request)


class OutboxNoticeMiddleware:
    """Tells the user the truth when work they asked for could not be queued just now.

    The work is saved (an outbox row in the same transaction, config/kernel/outbox.py) and the
    beat sweep sends it when Redis is back; the user is told that rather than shown an error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from config.kernel import outbox

        with outbox.unsent_collected() as unsent:
            response = self.get_response(request)
        if unsent and hasattr(request, "_messages"):
            messages.warning(request, outbox.unsent_message(unsent))
        return response
