"""What the allocation pages share: page size, running a service from a form, the policy in
force for an application today."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from allocations import selectors
from allocations.models import Application, PolicyVersion
from config.forms import service_errors_add

PAGE_SIZE = 25


def run_form(form, action):
    """Call a service with the form's data; its refusals become form errors, nothing is lost."""
    try:
        return action()
    except ValidationError as error:
        service_errors_add(form, error)
        return None


def policy_today(request: HttpRequest, application: Application) -> PolicyVersion | None:
    """The policy in force today for the application's scheme; None (with a banner saying
    why) when there is none, and the page goes back to the application."""
    try:
        return selectors.policy_in_force(scheme=application.scheme, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
