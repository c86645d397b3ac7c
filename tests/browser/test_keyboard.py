"""Keyboard only: the skip link, signing in, and every control reachable with Tab."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, assert_accessible, sign_in
from tests.conftest import two_step_code
from tests.factories import SiteFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every element a keyboard user should be able to reach; a radio group is one Tab stop.
_MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const controls = [...document.querySelectorAll(selector)].filter((el) =>
    !el.disabled && el.type !== 'hidden' && el.getAttribute('tabindex') !== '-1' &&
    el.checkVisibility({ visibilityProperty: true }));
  const described = {};
  controls.forEach((el, index) => {
    const key = el.type === 'radio' ? `radio:${el.name}` : `control:${index}`;
    el.dataset.tabKey = key;
    const legend = el.closest('fieldset')?.querySelector('legend')?.innerText || el.name;
    const name = el.type === 'radio' ? `radios: ${legend}` :
      (el.labels && el.labels[0] ? el.labels[0].innerText : '') ||
      el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id;
    described[key] = `<${el.tagName.toLowerCase()}> ${name.trim().slice(0, 60)}`;
  });
  return described;
}"""
_FOCUSED_KEY = "() => document.activeElement && document.activeElement.dataset.tabKey || null"


def assert_every_control_is_reachable_by_tab(page: Page) -> None:
    """Tab through the whole page from the top; every visible control must take focus."""
    controls: dict[str, str] = page.evaluate(_MARK_CONTROLS)
    assert controls, f"No controls found on {page.url}"
    reached: list[str] = []
    # Once round the page and back to the start (the browser's own UI may take a stop).
    for _ in range(2 * len(controls) + 3):
        page.keyboard.press("Tab")
        key = page.evaluate(_FOCUSED_KEY)
        if key and reached and key == reached[0]:
            break
        if key:
            reached.append(key)
    missed = [description for key, description in controls.items() if key not in reached]
    assert not missed, f"Not reachable with Tab on {page.url}: {missed}"


def _focused(page: Page):
    return page.locator("*:focus")


def _tab_to(page: Page, target, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached within {limit} presses of Tab")


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next stop is the first thing in the main content, not the header again.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()


def test_a_person_can_sign_in_and_add_a_site_with_the_keyboard_alone(page, officer):
    keyboard = page.keyboard
    code = two_step_code(officer)
    page.goto("/accounts/login/")
    assert_accessible(page)
    keyboard.press("Tab")
    keyboard.press("Enter")  # skip link
    keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    keyboard.type(officer.username)
    keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    keyboard.type(PASSWORD)
    _tab_to(page, page.get_by_role("button", name="Sign in"), limit=3)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Enter your sign-in code")).to_be_visible()
    assert_accessible(page)
    _tab_to(page, page.get_by_label("Code"))
    keyboard.type(code)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    assert_accessible(page)

    _tab_to(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sites"))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Sites")).to_be_visible()
    assert_accessible(page)
    _tab_to(page, page.get_by_role("button", name="Add a site"))
    keyboard.press("Space")  # a link styled as a button answers Space too, like a button
    expect(page.get_by_role("heading", level=1, name="Add a site")).to_be_visible()
    assert_accessible(page)

    # From the skip link, each answer follows the last in the order the form shows them.
    keyboard.press("Tab")
    keyboard.press("Enter")
    keyboard.press("Tab")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    keyboard.type("Cherry Tree Meadow")
    keyboard.press("Tab")
    expect(page.get_by_label("Reference")).to_be_focused()
    keyboard.type("GT-12")
    keyboard.press("Tab")
    kinds = page.get_by_role("group", name="Type of site")
    expect(_focused(page)).to_have_attribute("name", "kind")
    stopping_place = kinds.get_by_label("Stopping place")
    for _ in range(4):
        if stopping_place.evaluate("(el) => el === document.activeElement"):
            break
        keyboard.press("ArrowDown")
    expect(stopping_place).to_be_focused()
    keyboard.press("Space")
    expect(stopping_place).to_be_checked()
    keyboard.press("Tab")
    statuses = page.get_by_role("group", name="Status")
    expect(statuses.get_by_label("Open")).to_be_focused()
    keyboard.press("ArrowRight")
    expect(statuses.get_by_label("Under development")).to_be_checked()
    for label, text in [
        ("Address line 1", "5 Cherry Lane"),
        ("Address line 2", ""),
        ("Town or city", "Deal"),
        ("Postcode", "CT14 6AB"),
        ("Parish", "Walmer"),
    ]:
        keyboard.press("Tab")
        expect(page.get_by_label(label)).to_be_focused()
        if text:
            keyboard.type(text)
    opened = page.get_by_role("group", name="Date opened")
    for label, text in [("Day", "12"), ("Month", "6"), ("Year", "2025")]:
        keyboard.press("Tab")
        expect(opened.get_by_label(label)).to_be_focused()
        keyboard.type(text)
    keyboard.press("Tab")
    expect(page.get_by_label("Notes")).to_be_focused()
    keyboard.type("Opened for the summer.")
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save site")).to_be_focused()
    keyboard.press("Enter")

    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Cherry Tree Meadow was added."
    )
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Under development")
    expect(summary).to_contain_text("12 June 2025")
    expect(page.get_by_text("Stopping place · GT-12")).to_be_visible()
    assert_accessible(page)


def test_the_error_summary_takes_focus_and_its_links_work_from_the_keyboard(page, officer):
    sign_in(page, officer)
    page.goto("/sites/new/")
    assert_accessible(page)
    _tab_to(page, page.get_by_role("button", name="Save site"))
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Tab")
    first_link = summary.get_by_role("link").first
    expect(first_link).to_be_focused()
    expect(first_link).to_have_text("Enter the site's name")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()


def test_every_control_on_the_officers_pages_can_be_reached_with_tab(page, officer):
    unit = UnitFactory(site__name="Oak Lane")
    SiteFactory.create_batch(26)  # enough for the pagination links
    sign_in(page, officer)
    for path in [
        "/",
        "/sites/",
        f"/sites/{unit.site_id}/",
        "/sites/new/",
        f"/sites/{unit.site_id}/edit/",
        f"/sites/{unit.site_id}/units/new/",
        f"/sites/units/{unit.pk}/",
        f"/sites/units/{unit.pk}/edit/",
        f"/sites/units/{unit.pk}/history/",
    ]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)


def test_every_control_on_the_auditors_pages_can_be_reached_with_tab(page, auditor):
    unit = UnitFactory()
    sign_in(page, auditor)
    for path in ["/change-log/", f"/sites/{unit.site_id}/history/", f"/sites/units/{unit.pk}/"]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)


def test_every_control_on_the_sign_in_pages_can_be_reached_with_tab(page):
    for path in ["/accounts/login/", "/accounts/password-reset/"]:
        page.goto(path)
        assert_accessible(page)
        assert_every_control_is_reachable_by_tab(page)
