"""Password rules beyond Django's own: no password made of the username or of one word said
again and again (`officerofficer`, `abcabcabcabc`), which guessing tools try first."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_NOT_LETTERS_OR_DIGITS = re.compile(r"[^0-9a-z]+")


def _folded(text: str) -> str:
    return _NOT_LETTERS_OR_DIGITS.sub("", text.casefold())


def _is_repeated(text: str) -> bool:
    """True when the text is one piece said two or more times (`officerofficer`, `aaaa`)."""
    length = len(text)
    return any(
        length % size == 0 and text == text[:size] * (length // size)
        for size in range(1, length // 2 + 1)
    )


class UsernameOrRepeatValidator:
    """Refuses a password that, ignoring case, spaces, digits' separators and punctuation, is
    only the username (once or more, with or without digits), or one word repeated."""

    def validate(self, password: str, user=None) -> None:
        folded = _folded(password)
        username = _folded(getattr(user, "username", "") or "") if user is not None else ""
        if username and len(username) >= 3:
            rest = folded.replace(username, "")
            if folded != rest and not re.sub(r"\d", "", rest):
                raise ValidationError(
                    "Your password cannot be made of your username", code="password_is_username"
                )
        if folded and _is_repeated(folded):
            raise ValidationError(
                "Your password cannot be one word or group of characters repeated",
                code="password_repeated",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be made of your username or of one word repeated."
