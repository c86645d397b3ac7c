"""What the allocation pages share: page size, running a service from a form."""

from django.core.exceptions import ValidationError

from config.forms import service_errors_add

PAGE_SIZE = 25


def run_form(form, action):
    """Call a service with the form's data; its refusals become form errors, nothing is lost."""
    try:
        return action()
    except ValidationError as error:
        service_errors_add(form, error)
        return None
