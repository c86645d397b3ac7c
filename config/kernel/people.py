"""How a member of staff is named on a page, a form's choices, a pack or a letter: one way."""

from typing import Any


def person_name(user: Any) -> str:
    """A person's name, never their username while a name is recorded (the username only when
    none is, so two nameless people can still be told apart)."""
    return user.get_full_name() or user.get_username()
