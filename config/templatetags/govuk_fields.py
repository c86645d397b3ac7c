"""A filter form's select and date fields in the markup crispy-forms-gds gives them, written
directly: crispy renders each field through a dozen templates and Django's template-based
widgets, which cost the change log about 40% of its page.

{% load govuk_fields %}
{% select_field form.person %}
{% date_field form.date_from %}

The markup is crispy's own (labels, error messages and their ids, the fieldset's and inputs'
aria-describedby and aria-invalid, the error classes, the values kept after a failed filter);
tests/test_change_log.py checks it against crispy's for valid, refused and unbound forms.
Fields without help text only (as crispy's `field.help_text` paths are not drawn here).
"""

from html import escape  # Django's escape without its lazy-string wrapper: the same text

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ERROR = (
    '<span id="{id}" class="govuk-error-message">\n'
    '<span class="govuk-visually-hidden">Error:</span> {message}\n</span>\n'
)
DATE_PART_CLASSES = (
    "govuk-input govuk-date-input__input govuk-input--width-2",
    "govuk-input govuk-date-input__input govuk-input--width-2",
    "govuk-input govuk-date-input__input govuk-input--width-4",
)


def _errors(field: BoundField) -> list[str]:
    # An ErrorList's items read as their messages.
    return list(field.errors)


def _error_spans(auto_id: str, errors: list[str]) -> str:
    return "".join(
        ERROR.format(id=f"{auto_id}_{number}_error", message=escape(str(message)))
        for number, message in enumerate(errors, start=1)
    )


@register.simple_tag
def select_field(field: BoundField) -> SafeString:
    """A select in crispy-forms-gds's markup: label, errors, then the select."""
    auto_id = field.auto_id
    errors = _errors(field)
    chosen = field.value()
    chosen = "" if chosen is None else str(chosen)
    options = []
    selected_one = False
    for value, label in field.field.choices:
        value = "" if value is None else str(value)
        selected = not selected_one and value == chosen
        selected_one = selected_one or selected
        options.append(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(str(label))}</option>"
        )
    if errors:
        described = " ".join(f"{auto_id}_{n}_error" for n in range(1, len(errors) + 1))
        attrs = (
            f' aria-describedby="{described}" class="govuk-select govuk-input--error"'
            f' aria-invalid="true" id="{auto_id}"'
        )
    else:
        attrs = f' class="govuk-select" id="{auto_id}"'
    return mark_safe(  # noqa: S308 - every value and message is escaped above
        f'<div id="div_{auto_id}" class="govuk-form-group'
        f'{" govuk-form-group--error" if errors else ""}">\n'
        f'<label for="{field.id_for_label}" class="govuk-label">\n{field.label}\n</label>\n'
        f"{_error_spans(auto_id, errors)}"
        f'<select name="{field.html_name}"{attrs}>\n' + "\n".join(options) + "\n</select>\n</div>"
    )


@register.simple_tag
def date_field(field: BoundField) -> SafeString:
    """A GOV.UK date input (config.forms.GovDateField) in crispy-forms-gds's markup: a
    fieldset, its legend, the errors, then day, month and year; an error of one part (a
    missing month) marks that part, any other error all three."""
    auto_id = field.auto_id
    name = field.html_name
    errors = _errors(field)
    # GovDateField's parts keep the messages of their own errors on their widgets.
    part_errors = [list(getattr(part.widget, "errors", None) or []) for part in field.field.fields]
    any_part_error = any(part_errors)
    values = field.value()
    if not isinstance(values, list):  # as MultiWidget.get_context reads it
        values = field.field.widget.decompress(values)
    parts = []
    for index, label in enumerate(("Day", "Month", "Year")):
        value = values[index] if index < len(values) else None
        shown = "" if value in (None, "") else f' value="{escape(str(value))}"'
        classes = DATE_PART_CLASSES[index]
        aria = ""
        if errors:
            if not any_part_error or part_errors[index]:
                classes += " govuk-input--error"
            described = " ".join(
                f"{auto_id}_{number}_error"
                for number, message in enumerate(errors, start=1)
                if message in part_errors[index]
            )
            aria = f' aria-describedby="{described}" aria-invalid="true"'
        parts.append(
            '<div class="govuk-date-input__item">\n<div class="govuk-form-group">\n'
            f'<label class="govuk-label govuk-date-input__label" for="{auto_id}_{index}">'
            f"{label}</label>\n"
            f'<input type="text" name="{name}_{index}"{shown} class="{classes}"{aria}'
            f' id="{auto_id}_{index}">\n</div>\n</div>\n'
        )
    fieldset_described = (
        ' aria-describedby="'
        + "".join(f" {auto_id}_{n}_error" for n in range(1, len(errors) + 1))
        + '"'
        if errors
        else ""
    )
    return mark_safe(  # noqa: S308 - every value and message is escaped above
        f'<div id="div_{auto_id}" class="govuk-form-group'
        f'{" govuk-form-group--error" if errors else ""}">\n'
        f'<fieldset class="govuk-fieldset"{fieldset_described}>\n'
        f'<legend class="govuk-fieldset__legend">\n{field.label}\n</legend>\n'
        f"{_error_spans(auto_id, errors)}"
        f'<div class="govuk-date-input" id="{auto_id}">\n'
        + "".join(parts)
        + "</div>\n</fieldset>\n</div>"
    )
