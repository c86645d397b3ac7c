"""The one postcode normaliser: people type postcodes in any case and spacing."""

import re

# A full UK postcode with its spaces taken out: outward code (2-4) and inward code (3).
FULL_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


def postcode_normalise(value: str | None) -> str:
    """sn101aa, SN10  1AA and SN10 1AA are all SN10 1AA; a part postcode is only tidied
    (upper case, single spaces)."""
    words = (value or "").upper().split()
    joined = "".join(words)
    if FULL_POSTCODE.fullmatch(joined):
        return f"{joined[:-3]} {joined[-3:]}"  # the inward code is always the last three
    return " ".join(words)


def postcode_is_valid(value: str | None) -> bool:
    """A full UK postcode, however it was typed."""
    return bool(FULL_POSTCODE.fullmatch("".join((value or "").upper().split())))
