"""The apps depend one way (projects <- sites <- residents <- allocations; census uses the three
below it), and their templates follow: a lower app's page shows what an upper app contributes
through a slot (config/panels.py), never by naming the upper app's URLs or permissions."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from config.panels import Slot

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Each app's templates, and the apps it must not name.
ABOVE = {
    "projects": {"sites", "residents", "allocations", "census", "reports"},
    "sites": {"residents", "allocations", "census", "reports"},
    "residents": {"allocations", "census", "reports"},
}
KERNEL_TEMPLATES = ["*.html", "includes/*.html", "pdf/*.html", "registration/*.html"]


def _names_of(app: str) -> re.Pattern:
    """A URL name, a permission or a template of `app`."""
    return re.compile(rf"""['"]{app}:|perms\.{app}\b|{{% *(include|extends) +['"]{app}/""")


def _templates(app: str) -> list[Path]:
    found = sorted((TEMPLATES / app).rglob("*.html"))
    if app == "projects":
        found.append(TEMPLATES / "home.html")  # the work queue is the projects app's page
    return found


@pytest.mark.parametrize("app", ABOVE)
def test_a_lower_apps_templates_name_no_app_above_it(app):
    named = [
        f"{path.relative_to(TEMPLATES)} names {upper}"
        for path in _templates(app)
        for upper in ABOVE[app]
        if _names_of(upper).search(path.read_text())
    ]
    assert named == []


def test_the_kernels_templates_name_no_app():
    paths = [
        path
        for pattern in KERNEL_TEMPLATES
        for path in TEMPLATES.glob(pattern)
        if path.name != "home.html"
    ]
    assert paths
    named = [
        f"{path.relative_to(TEMPLATES)} names {app}"
        for path in paths
        for app in [*ABOVE, "allocations", "census"]
        if _names_of(app).search(path.read_text())
    ]
    assert named == []


def test_a_slot_gives_its_panels_in_order_leaving_out_those_with_no_context():
    slot = Slot("A test slot.")
    slot.register(template="first.html")
    slot.register(template="hidden.html", context=lambda request, **kwargs: None)
    slot.register(template="last.html", context=lambda request, *, unit: {"label": unit.upper()})
    slot.register(template="first.html")  # a second ready() adds nothing
    assert slot.contexts(None, unit="pitch 1") == [
        ("first.html", {"unit": "pitch 1"}),
        ("last.html", {"unit": "pitch 1", "label": "PITCH 1"}),
    ]
