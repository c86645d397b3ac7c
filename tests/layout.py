"""Checks of a page's layout that a reader would see as broken."""

from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _BareLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.bare: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "a" and self.open[-1:] == ["main"] and "govuk-button" not in classes:
            self.bare.append(dict(attrs).get("href") or "")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while tag not in _VOID and self.open and self.open.pop() != tag:
            pass


def bare_links(html: str) -> list[str]:
    """Links set straight in the page's main area, outside any paragraph or list: they lose
    the body text's size and spacing and run into the next heading (a button is fine)."""
    parser = _BareLinks()
    parser.feed(html)
    return parser.bare
