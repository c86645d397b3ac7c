"""Every write to an account: who and why in the account's history, as for any record."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from config.kernel.records import history_stamp, reason_required

# The fields no one may change on their own account, and those only a superuser may change
# on anyone's: superuser status lets an account read everything, police answers included.
OWN_ACCOUNT_LOCKED = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")
SUPERUSER_ONLY = ("is_superuser", "is_staff", "user_permissions")


def user_sessions_end(user: AbstractBaseUser) -> int:
    """Delete every live session signed in as `user` (the database session store); returns
    how many. A deactivated account's sessions must not revive when it is reactivated."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def user_deactivate(*, user: AbstractBaseUser, by: AbstractBaseUser | None, reason: str) -> None:
    """Deactivate an account (never delete it: its history rows point at it) and end its
    sessions at once."""
    reason = reason_required(reason)
    user.is_active = False
    history_stamp(user, by=by, reason=reason)
    user.save()
    user_sessions_end(user)
