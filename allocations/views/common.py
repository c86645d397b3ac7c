"""What the allocation pages share: page size, running a service from a form."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from allocations.models import (
    Application,
)
from config.forms import service_errors_add

PAGE_SIZE = 25


def run_form(form, action):
    """Call a service with the form's data; its refusals become form errors, nothing is lost."""
    try:
        return action()
    except ValidationError as error:
        service_errors_add(form, error)
        return None


def application_or_404(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("household"), pk=pk)
