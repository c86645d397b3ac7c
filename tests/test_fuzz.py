"""Fuzzing every form and GET filter in the URLconf: no input gives a 500, and a refused input
writes nothing.

The access matrix's records (tests/access_records.py) give a real URL for every named
pattern. Each role that may GET a page reads it; its forms (GET filters and POST forms) and
the filters in its links give the field names, and the choices on the page some valid
values. Then, for every page and POST as every role that may reach it, one sweep sends the
worst fixed inputs, and Hypothesis sends a bounded number of generated ones (control
characters, huge strings, huge and negative numbers, odd dates, deep JSON, Unicode oddities).
Every answer must be below 500; every refusal (4xx, or a POST answered 200) must leave every
table's row count — history tables included — as it was.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.roles import ROLE_PERMISSIONS, ROLES
from tests.access_matrix import MATRIX, POST_ONLY
from tests.access_records import access_records_make, url_for

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Filters that views read from the address without a form on the page.
COMMON_FILTERS = [
    "page", "sort", "q", "status", "scheme", "reference", "household", "search", "seed",
    "date", "visit", "size",
]  # fmt: skip
# Written by reading, not by changing anything: sessions (sign-in, messages), the log of
# who was shown special-category data and the log of nominations shown to providers.
NOT_COUNTED = {
    "django_session",
    "residents_specialcategoryview",
    "allocations_nominationshowing",
}

NASTY = [
    "\x00", "a\x00b", "\x1b[31mred", "\x7f", "\u0085", "\x08\x0c", "\u202eevil", "\ufeff",
    "\ufffe", "\U0001f3e1" * 50, "Z\u0351\u0351\u0351\u0351", "' OR 1=1 --", "<script>x</script>",
    "%00", "../../../etc/passwd", "9" * 20, "-" + "9" * 20, "99999999999999999999999999999",
    "2147483648", "-2147483649", "-1", "0", "1e309", "NaN", "-Infinity", "0x10", "1_000",
    "0001", "9999", "   ", "", "x" * 5_000, "[" * 5000 + "]" * 5000, "{" * 100,
    "31", "13", "29", "02", "true", "null", "[]", "²", "٣", "１２",
]  # fmt: skip


@dataclass
class Target:
    name: str
    url: str
    role: str
    method: str  # "get" or "post"
    fields: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class _FormFields(HTMLParser):
    """The names (and offered values) of the fields of each form on a page, and the filters
    in its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.link_filters: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append({"method": method, "fields": {}, "files": set()})
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.link_filters.update(name for name, _ in parse_qsl(urlsplit(attrs["href"]).query))
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            values = self.forms[-1]["fields"].setdefault(name, [])
            if tag == "input" and attrs.get("type") == "file":
                self.forms[-1]["files"].add(name)
            if tag == "input" and attrs.get("value") is not None:
                values.append(attrs["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and attrs.get("value") is not None:
            self.forms[-1]["fields"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _allowed(permission, role: str) -> bool:
    return permission is None or permission in ROLE_PERMISSIONS[role]


def _targets(client, users, urls) -> list[Target]:
    """Every GET page and POST form as every role that may reach it, with its fields."""
    targets = []
    for name, (get_permission, post_permission) in MATRIX.items():
        url = urls[name]
        for role in (role.name for role in ROLES):
            page = _FormFields()
            if name not in POST_ONLY and _allowed(get_permission, role):
                client.force_login(users[role])
                response = client.get(url)
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    page.feed(response.content.decode())
                gets = [form for form in page.forms if form["method"] == "get"]
                filters = set(COMMON_FILTERS) | page.link_filters
                for form in gets:
                    filters |= set(form["fields"])
                choices = {k: v for form in gets for k, v in form["fields"].items()}
                targets.append(Target(name, url, role, "get", sorted(filters), choices))
            if post_permission is not None and _allowed(post_permission, role):
                posts = [form for form in page.forms if form["method"] == "post"]
                fields = {k: v for form in posts for k, v in form["fields"].items()}
                files = {name for form in posts for name in form["files"]}
                targets.append(
                    Target(name, url, role, "post", sorted(fields) or ["name"], fields, files)
                )
    return targets


def _row_counts() -> tuple:
    tables = [
        table
        for table in connection.introspection.table_names()
        if table not in NOT_COUNTED and not table.startswith("axes_")
    ]
    # Table names from the database itself, quoted by Django.
    counts = ", ".join(
        f"(SELECT count(*) FROM {connection.ops.quote_name(table)})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(zip(tables, cursor.fetchone(), strict=True))


class _Counts:
    """Every table's row count, taken again only when something may have changed it."""

    def __init__(self):
        self.known: tuple | None = None
        self.role = ""  # signed in as (signing in writes the user's last sign-in)

    def current(self) -> tuple:
        if self.known is None:
            self.known = _row_counts()
        return self.known


def _send(client, users, counts: _Counts, target: Target, data: dict):
    if counts.role != target.role:
        client.force_login(users[target.role])
        counts.role, counts.known = target.role, None
    before = counts.current()
    if target.method == "get":
        response = client.get(target.url, data)
    else:
        for name in target.files:
            content = str(data.get(name, "")).encode("utf-8")
            data[name] = SimpleUploadedFile("évil\x00.svg.html", b"\x89PNG\r\n\x1a\n" + content)
        response = client.post(target.url, data)
    assert response.status_code < 500, (target.method, target.url, target.role, data)
    # A POST answered 200 re-shows its form (refused), unless it answered with a download (a
    # subject access export is made and logged when asked for).
    downloaded = "attachment" in response.get("Content-Disposition", "")
    refused = response.status_code >= 400 or (
        target.method == "post" and response.status_code == 200 and not downloaded
    )
    counts.known = None
    if refused:
        after = counts.current()
        changed = [(a[0], a[1], b[1]) for a, b in zip(before, after, strict=True) if a != b]
        assert not changed, (target.method, target.url, target.role, response.status_code, changed)
    return response


@pytest.fixture
def world(client, settings, tmp_path, user_for_role):
    settings.MEDIA_ROOT = tmp_path
    site, unit = access_records_make()
    urls = {name: url_for(name, site, unit) for name in MATRIX}
    users = {role.name: user_for_role(role.name) for role in ROLES}
    return client, users, _targets(client, users, urls)


def _fixed_payloads(target: Target) -> Iterator[dict]:
    """The worst inputs: every field at once given a control character or a 20-digit number
    (a year too), then each field a different one of NASTY beside valid choices."""
    rng = random.Random(target.url + target.role)
    valid = {name: (rng.choice(v) if v else "1") for name, v in target.choices.items()}
    yield {name: rng.choice(["\x00", "9" * 20, "a\x1bb"]) for name in target.fields}
    yield {**valid, **{name: rng.choice(NASTY) for name in target.fields if rng.random() < 0.7}}


_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.dates().map(lambda d: d.isoformat()),
)


def test_no_form_or_filter_gives_a_500_and_a_refusal_writes_nothing(world):
    client, users, targets = world
    counts = _Counts()
    client.logout()
    assert len({t.name for t in targets}) > 100 and {t.method for t in targets} == {"get", "post"}
    # Every page and form, as every role that may reach it, with the worst fixed inputs.
    for target in targets:
        for payload in _fixed_payloads(target):
            _send(client, users, counts, target, payload)

    # Then a bounded number of generated inputs (the same ones on every run).
    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def generated(data):
        target = data.draw(st.sampled_from(targets), label="target")
        payload = {}
        for name in target.fields:
            choices = target.choices.get(name) or []
            strategy = st.one_of(st.sampled_from(choices), _values) if choices else _values
            if data.draw(st.booleans(), label=f"{name} sent"):
                payload[name] = data.draw(strategy, label=name)
        _send(client, users, counts, target, payload)

    generated()
