"""GOV.UK Frontend components as template tags, so pages stop hand-typing their markup.

{% load govuk %}
{% button_link url "Record the reply" %}
{% button_link url "Withdraw the offer" style="warning" %}
{% summary_row "Made" offer.made_at|page_date %}
{% summary_row "Lead" project.lead|user_name href=url action="Change" %}
{% status_tag offer.get_status_display colour="green" %}
{{ user|user_name }}   {{ day|page_date }}   {{ moment|page_datetime }}   {{ day|letter_date }}
"""

from typing import Any

from django import template
from django.utils.html import format_html

from config.kernel import dates
from config.kernel.people import person_name

register = template.Library()

BUTTON_STYLES = {
    "primary": "",
    "secondary": " govuk-button--secondary",
    "warning": " govuk-button--warning",
}
TAG_COLOURS = {
    "grey",
    "green",
    "turquoise",
    "blue",
    "light-blue",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
}


@register.simple_tag
def button_link(
    url: str,
    text: str,
    style: str = "primary",
    float_right: bool = False,
    download: bool | str = False,
) -> str:
    """A link that looks like a button (to a form page, or a file with `download`)."""
    classes = BUTTON_STYLES.get(style, "") + (" app-float-right" if float_right else "")
    return format_html(
        '<a class="govuk-button{}" role="button" draggable="false" data-module="govuk-button"'
        ' href="{}"{}>{}</a>',
        classes,
        url,
        format_html(' download="{}"', download)
        if isinstance(download, str) and download
        else (" download" if download else ""),
        text,
    )


@register.simple_tag
def summary_row(key: str, value: Any, href: str = "", action: str = "Change") -> str:
    """One row of a GOV.UK summary list; an empty value reads "Not recorded"."""
    shown = value if value not in (None, "") else "Not recorded"
    if href:
        return format_html(
            '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
            '<dd class="govuk-summary-list__value">{}</dd>'
            '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="{}">{}'
            '<span class="govuk-visually-hidden"> {}</span></a></dd></div>',
            key,
            shown,
            href,
            action,
            str(key).lower(),
        )
    return format_html(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>',
        key,
        shown,
    )


@register.simple_block_tag(end_name="end_summary_row")
def summary_row_of(content: str, key: str) -> str:
    """A summary-list row whose value is markup the page writes itself (links, lists):

    {% summary_row_of "Household" %}<a class="govuk-link" href="...">...</a>{% end_summary_row %}
    """
    return format_html(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>',
        key,
        content,
    )


@register.simple_tag
def status_tag(label: Any, colour: str = "") -> str:
    """A GOV.UK tag; `colour` is one of GOV.UK's tag colours (none: the default blue)."""
    modifier = f" govuk-tag--{colour}" if colour in TAG_COLOURS else ""
    return format_html('<strong class="govuk-tag{}">{}</strong>', modifier, label)


@register.filter
def user_name(user: Any) -> str:
    """A person's name, never their username (the username only when no name is recorded)."""
    if user is None or not getattr(user, "pk", None):
        return "Unknown"
    return person_name(user)


@register.filter
def page_date(value: Any) -> str:
    return dates.page_date(value)


@register.filter
def page_datetime(value: Any) -> str:
    return dates.page_datetime(value)


@register.filter
def page_moment(value: Any) -> str:
    """A moment exact to the second in UK time: 23:59:59 on Monday 7 December 2026."""
    return dates.page_moment(value)


@register.filter
def letter_date(value: Any) -> str:
    return dates.letter_date(value)
