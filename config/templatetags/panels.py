"""`{% panels "app.panels.SLOT" name=value ... %}`: the panels upper apps put in a lower app's
page (config/panels.py)."""

from functools import cache

from django import template
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from config.panels import Slot

register = template.Library()


@cache
def _slot(path: str) -> Slot:
    slot = import_string(path)
    if not isinstance(slot, Slot):
        raise template.TemplateSyntaxError(f"{path} is not a panel slot.")
    return slot


@register.simple_tag(takes_context=True)
def panels(context: template.Context, path: str, **kwargs) -> SafeString:
    request = getattr(context, "request", None)
    html = []
    for name, extra in _slot(path).contexts(request, **kwargs):
        panel = context.template.engine.get_template(name)
        with context.push(**extra):
            html.append(panel.render(context))
    return mark_safe("".join(html))  # noqa: S308 - rendered templates, escaped as they render
