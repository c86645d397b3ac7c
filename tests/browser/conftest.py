"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Every page a test loads must pass an axe-core scan against WCAG 2.2 AA. Tests call
`assert_accessible(page)` after each navigation; the `page` fixture records every document
the browser loads and fails the test if any of them was left unscanned, so a new step in a
journey cannot slip past the scan.
"""

import hashlib
import re
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import two_step_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
# Playwright's default of 30 s hides a hang for too long; every wait here is for a local page.
EXPECT_TIMEOUT_MS = 5_000

_axe = Axe()


@dataclass
class _PageLoads:
    """The documents a page has loaded, in order, and which of them were scanned."""

    urls: list[str] = field(default_factory=list)
    scanned: set[int] = field(default_factory=set)

    def unscanned(self) -> list[str]:
        return [url for index, url in enumerate(self.urls) if index not in self.scanned]


_LOADS: dict[int, _PageLoads] = {}


# Documents already scanned clean in this session, by a digest of their markup: the sign-in
# page, say, differs between visits only in its CSRF token, and need not be scanned twice.
_CLEAN: set[str] = set()
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def assert_accessible(page: Page) -> None:
    """Scan the page's current document with axe-core; fail with axe's report on any violation."""
    page.wait_for_load_state("load")
    loads = _LOADS.get(id(page))
    if loads is not None and loads.urls:
        loads.scanned.add(len(loads.urls) - 1)
    markup = _CSRF_TOKEN.sub("", page.content()) + repr(page.viewport_size)
    digest = hashlib.sha256(markup.encode()).hexdigest()
    if digest in _CLEAN:
        return
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count:
        pytest.fail(
            f"{page.url} ({page.title()!r}) is not accessible:\n{results.generate_report()}",
            pytrace=False,
        )
    _CLEAN.add(digest)


def sign_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in pages, as a person would: the password, then a
    one-off code from the user's recovery codes (tests.conftest.two_step_code makes one)."""
    from config.accounts.two_step import two_step_required

    code = two_step_code(user)
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if two_step_required(user):  # a role that needs it (someone with no role yet does not)
        expect(page.get_by_role("heading", level=1, name="Enter your sign-in code")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    assert_accessible(page)


def success_banner(page: Page, text: str | re.Pattern[str]) -> None:
    """The green "Success" banner a saved form or a pressed button leads to."""
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(text)


def date_fill(page: Page, legend: str, day) -> None:
    """Fill a GOV.UK date input (Day, Month, Year) found by its legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert_accessible(page)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# One browser for all the browser tests. Package scope, not session: Playwright's sync API keeps
# an event loop running in this thread, so Django's ORM refuses to run (SynchronousOnlyOperation)
# while it lives, unless DJANGO_ALLOW_ASYNC_UNSAFE says it is safe, as it is here. Both last only
# as long as the browser tests: set for the whole session, the variable would reach every
# subprocess a later test starts, and `manage.py check --deploy` rightly fails on it.
@pytest.fixture(scope="package")
def browser() -> Browser:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """Browser tests share the live server's database: they need committed, transactional
    data (tests/conftest.py puts back the role groups and policies after each flush)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = not report.passed
    return report


@pytest.fixture
def page(request, browser: Browser, live_server) -> Page:
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    page = context.new_page()
    loads = _LOADS[id(page)] = _PageLoads()
    page.on("load", lambda loaded: loads.urls.append(path_of(loaded.url)))
    errors: list[str] = []

    def on_console(message) -> None:
        # A CSP refusal shows only on the console; failed loads are reported below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        # A 403 or 404 page is a page, not an error: a missing stylesheet, script or image is.
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    def on_request_failed(request) -> None:
        # A download shows as a failed (aborted) navigation. A resource still loading when the
        # test moves on (the favicon, say) is aborted by the browser: that is no fault of the
        # page, and a missing resource shows as its 404 above.
        if request.resource_type != "document" and request.failure != "net::ERR_ABORTED":
            errors.append(f"{request.failure} for {request.url}")

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    try:
        yield page
    finally:
        del _LOADS[id(page)]
        context.close()
    if getattr(request.node, "browser_test_failed", True):
        return  # the test's own failure says what went wrong; don't bury it
    unscanned = loads.unscanned()
    if unscanned:
        pytest.fail(
            "These pages were loaded but never scanned with assert_accessible: "
            + ", ".join(unscanned),
            pytrace=False,
        )
    if errors:
        pytest.fail("Errors in the browser console: " + "; ".join(errors), pytrace=False)
