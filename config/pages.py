"""The two shapes every app's pages share, so each view says only what is its own.

- `form_page`: a create or change page. On a valid POST it calls the service; a refusal
  (ValidationError) becomes errors on the form, and everything typed is shown again. On a
  refused POST the service's own checks (`check`) still run on what could be read, so the
  form's errors and the service's refusals show together.
- `button_post`: a button that does one thing (submit, advertise, complete...): call the
  service, say what happened in a banner, go back to the record.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from config.forms import service_errors_add, service_problems_add


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    back_url: str,
    save: Callable[[dict], Any] | None = None,
    check: Callable[[dict], Mapping[str, str | Sequence[str]]] | None = None,
    intro: str = "",
    warning: str = "",
) -> Any:
    """The saved record when `save` succeeded; otherwise the page (400 when it has errors).

    `check` is the service's own checks, without writing (`<service>_problems`): when the form
    is refused it is run on what the form could read (its `cleaned_data` so far, a value the
    form refused missing), so the service's refusals show with the form's own errors."""
    if save is not None and request.method == "POST":
        if form.is_valid():
            try:
                return save(form.cleaned_data)
            except ValidationError as error:
                service_errors_add(form, error)
        elif check is not None:
            try:
                problems = check(form.cleaned_data)
            except ValidationError as error:  # a check that refuses outright, all the same
                problems = getattr(error, "message_dict", None) or {
                    NON_FIELD_ERRORS: error.messages
                }
            service_problems_add(form, problems)
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "back_url": back_url, "intro": intro, "warning": warning},
        status=400 if form.errors else 200,
    )


def is_saved(result: Any) -> bool:
    return not isinstance(result, HttpResponse)


def saved_then(
    request: HttpRequest, result: Any, message: Callable[[Any], str] | str, then: Any
) -> HttpResponse:
    """After `form_page`: on a save, the success banner and a redirect to `then`; otherwise
    the page itself (with its errors and everything typed)."""
    if not is_saved(result):
        return result
    messages.success(request, message(result) if callable(message) else message)
    return redirect(then)


def button_post(
    request: HttpRequest,
    *,
    action: Callable[[], Any],
    success: Callable[[Any], str] | str,
    then: Any,
) -> HttpResponse:
    """Run one service for a button press; its refusal is shown as a banner, not a crash."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(then)
