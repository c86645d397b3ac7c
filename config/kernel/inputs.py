"""The one input-cleaning layer: what any form field or GET filter may be given.

Every form in the project inherits `CleanInputMixin` (through `config.forms.Form` and
`config.forms.ModelForm`; tests/kernel/test_inputs.py fails for a form that does not), and
`GetFilterGuardMiddleware` checks every GET parameter before any view reads it. So a new
form or filter gets these rules without anyone thinking of them:

- Control characters (NUL, escape, …) are refused with a message naming the field, never
  stripped silently; tab, line feed and carriage return are harmless whitespace and kept.
- Dates lie within a plausible range for their field (`DateRange`): 1900–2100 unless the
  field says otherwise (`BIRTH`: not in the future; `TENANCY`: a licence's window). A year
  too big for Python (20 digits) is a form error, not an OverflowError.
- Whole numbers fit a PostgreSQL integer unless the field allows more.
- JSON (policy rules) is bounded in size and depth before it is parsed (`json_bounded`).
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls; and the
# Unicode "noncharacters" U+FFFE and U+FFFF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_CHARACTERS_MESSAGE = (
    "%(label)s contains a character that cannot be used (a control character such as a "
    "NUL byte). Remove it and try again"
)

# A PostgreSQL integer column; bigger numbers need a field that says so (`max_value`).
INTEGER_LIMIT = 2_147_483_647
INTEGER_MESSAGE = "%(label)s must be a smaller number"

JSON_MAX_BYTES = 200_000
JSON_MAX_DEPTH = 20


def has_control_characters(value: Any) -> bool:
    """True when `value` (text, or a list of text as multi-part widgets give) holds one."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(has_control_characters(item) for item in value)
    return False


def refuse_control_characters(value: Any, label: str = "This field") -> None:
    if has_control_characters(value):
        raise ValidationError(
            CONTROL_CHARACTERS_MESSAGE, params={"label": label}, code="control_characters"
        )


# -- Dates ------------------------------------------------------------------------------

Bound = date | Callable[[], date]


def _bound(value: Bound) -> date:
    return value() if callable(value) else value


def _today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class DateRange:
    """The dates a field may hold; `earliest` and `latest` may be callables (e.g. today)."""

    earliest: Bound
    latest: Bound
    future_message: str = ""

    def check(self, value: date | None, label: str) -> None:
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        earliest, latest = _bound(self.earliest), _bound(self.latest)
        if day > latest and self.future_message:
            raise ValidationError(self.future_message, params={"label": label}, code="future")
        if day < earliest:
            raise ValidationError(
                "%(label)s must be on or after %(earliest)s",
                params={"label": label, "earliest": dateformat.format(earliest, "j F Y")},
                code="implausible_date",
            )
        if day > latest:
            raise ValidationError(
                "%(label)s must be on or before %(latest)s",
                params={"label": label, "latest": dateformat.format(latest, "j F Y")},
                code="implausible_date",
            )


PLAUSIBLE = DateRange(date(1900, 1, 1), date(2100, 12, 31))
BIRTH = DateRange(date(1900, 1, 1), _today, "%(label)s must be today or in the past")
# Licences and tenancies: households living on a site may hold licences from decades ago;
# none is agreed more than two years ahead.
TENANCY = DateRange(date(1950, 1, 1), lambda: _today() + timedelta(days=2 * 366))

DATE_OUT_OF_RANGE_MESSAGE = "%(label)s must be a real date, like 27 3 2024"


# -- JSON -------------------------------------------------------------------------------


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (without parsing it)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def json_bounded(
    text: str, *, label: str, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH
) -> Any:
    """Parse JSON typed into a form, refusing (ValidationError) too big, too deep or bad."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise ValidationError(
            "%(label)s must be smaller than %(size)s KB",
            params={"label": label, "size": max_bytes // 1000},
            code="too_big",
        )
    if json_depth(text) > max_depth:
        raise ValidationError(
            "%(label)s nest too deeply: at most %(depth)s levels of [ ] and { }",
            params={"label": label, "depth": max_depth},
            code="too_deep",
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            "%(label)s are not valid JSON: %(message)s at line %(line)s",
            params={"label": label, "message": error.msg, "line": error.lineno},
            code="invalid_json",
        ) from error
    except (RecursionError, ValueError) as error:
        raise ValidationError(
            "%(label)s are not valid JSON", params={"label": label}, code="invalid_json"
        ) from error


# -- Forms ------------------------------------------------------------------------------


def _label(name: str, field: Any) -> str:
    return str(field.label or name.replace("_", " ").capitalize())


def _guarded(name: str, field: Any) -> Callable[..., Any]:
    """The field's clean, wrapped in the kernel's rules (see the module's docstring)."""
    original = field.clean
    label = _label(name, field)

    def clean(value: Any, *args: Any, **kwargs: Any) -> Any:
        refuse_control_characters(value, label)
        try:
            result = original(value, *args, **kwargs)
        except OverflowError:
            raise ValidationError(
                DATE_OUT_OF_RANGE_MESSAGE, params={"label": label}, code="invalid"
            ) from None
        if isinstance(result, date):
            getattr(field, "plausible", PLAUSIBLE).check(result, label)
        elif isinstance(result, int) and not isinstance(result, bool):
            too_big = getattr(field, "max_value", None) is None and result > INTEGER_LIMIT
            too_small = getattr(field, "min_value", None) is None and result < -INTEGER_LIMIT
            if too_big or too_small:
                raise ValidationError(INTEGER_MESSAGE, params={"label": label}, code="too_big")
        return result

    return clean


class CleanInputMixin:
    """Put first in a form's bases (config.forms.Form and ModelForm do): before the form is
    cleaned, each field's clean is wrapped in the kernel's rules (fields are per-instance
    copies, so fields added in a subclass's __init__ are wrapped too)."""

    fields: dict

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if not getattr(field, "_input_guarded", False):
                field.clean = _guarded(name, field)
                field._input_guarded = True
        super().full_clean()  # type: ignore[misc]


# -- GET filters ------------------------------------------------------------------------


def query_id(value: str | None) -> int | None:
    """A record's id as typed in a query string, or None for anything else. `str.isdigit`
    is not enough: it is true of "²" and "٣", which `int` refuses or reads as another
    number; and an id is a PostgreSQL integer at most."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if number <= INTEGER_LIMIT else None


def bad_parameters(pairs: Iterable[tuple[str, list[str]]]) -> list[str]:
    """The parameters (named printably) whose name or a value holds a control character."""
    return [
        CONTROL_CHARACTERS.sub("?", name)[:50]
        for name, values in pairs
        if has_control_characters([name, *values])
    ]


class GetFilterGuardMiddleware:
    """Refuses (400, with a page saying why) any request whose address carries a control
    character in a parameter, before a view can put it in a query: NUL makes PostgreSQL
    fail, and nothing typed by a person holds one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        names = bad_parameters(request.GET.lists())
        if names:
            return HttpResponse(
                render_to_string(
                    "400_input.html", {"names": names, "path": request.path}, request=request
                ),
                status=400,
            )
        return self.get_response(request)
