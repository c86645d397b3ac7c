"""The wording of letters: text blocks with merge fields, checked before they are kept.

A wording's body is a small template: HTML paragraphs, headings, lists and boxes, with
`{{ merge_field }}`s and, where a letter says different things to different households,
`{% if %}` and `{% for %}`. Nothing else: no other tags (`{% include %}`, `{% debug %}`...),
only a few filters, and only the HTML a letter needs. A merge field that the letter does not
have is refused by name, so a typing slip never reaches a household as a blank.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import TextNode, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode, TemplateLiteral

# What every letter knows (allocations.documents.letter_context, and the council's name).
COMMON_FIELDS = (
    "lead_name",
    "application_reference",
    "scheme_words",
    "policy_name",
    "policy_version",
    "review_days",
    "date",
    "reasons",
    "interpreter_needed",
    "interpreter_language",
    "easy_read",
    "large_print",
    "council_name",
)

# What every letter to someone who is not an applicant knows: a seller or a buyer of a
# low-cost home, the tenants of a home (allocations.services.letters.letter_request_to).
ADDRESSEE_FIELDS = (
    "lead_name",
    "our_reference",
    "date",
    "easy_read",
    "large_print",
    "interpreter_needed",
    "interpreter_language",
    "council_name",
)

# Resale letters: the home and its agreement, then what each step adds.
_RESALE = ("home", "product", "seller_name", "window_ends", "window_weeks")
ADDRESSEE_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "resale_notice": (*_RESALE, "notice_on"),
    "resale_valuation": (*_RESALE, "valuation", "valued_on", "valid_until", "price", "discount"),
    "resale_nominated": (*_RESALE, "buyer_name", "price"),
    "resale_nominee": (*_RESALE, "buyer_name", "price"),
    "resale_not_eligible": (*_RESALE, "buyer_name", "reasons"),
    "resale_released": (*_RESALE, "released_on"),
    "resale_ended": (*_RESALE, "buyer_name", "ended_on", "ended_because"),
    "resale_withdrawn": (*_RESALE, "buyer_name", "withdrawn_on", "was_proceeding"),
    # Housing Act 1996 s.125A/B: the reasons, and the right to ask for a review by a date.
    "intro_extended": (
        "home",
        "tenants",
        "start_date",
        "was_ending_on",
        "extended_to",
        "reasons",
        "review_by",
        "review_days",
    ),
    "intro_confirmed": ("home", "tenants", "start_date", "secure_from"),
}

# What each kind of letter adds (the `extra` its service freezes into the letter).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "invalid": (),
    "interview": ("when", "place", "interpreter_booked"),
    "offer": ("unit", "weekly_charge", "respond_by", "refusal_penalty", "lowest_band"),
    "refusal": (
        "unit",
        "reasonable",
        "refusals_counted",
        "refusal_limit",
        "suspension_months",
        "band_penalty_until",
        "lowest_band",
        "refusal_penalty",
    ),
    "suspension": (
        "unit",
        "refusals_counted",
        "refusal_limit",
        "suspension_months",
        "suspended_until",
    ),
    "decision": ("unit", "site"),
    "renewal_reminder": ("renew_by",),
    "renewal_hold": ("renew_by", "close_on"),
    "renewal_closed": ("renew_by", "reinstate_by"),
    "suspension_ended": ("ended_on",),
    "registration_refused": ("review_by",),
    "registration_review": ("overturned", "review_reasons", "refused_on", "requested_on"),
    # Choice-based lettings (Housing Act 1996 s.166A(9)(b),(c)): the priority decided, why,
    # and the right to a review by a date; then the review's outcome and the priority now.
    "assessment_decision": (
        "band",
        "points",
        "band_meaning",
        "assessed_on",
        "effective_date",
        "effective_date_reason",
        "bedroom_need",
        "bedroom_reasons",
        "review_by",
    ),
    "band_review": (
        "changed",
        "review_reasons",
        "assessed_on",
        "requested_on",
        "band",
        "points",
        "band_meaning",
        "effective_date",
        "bedroom_need",
    ),
}

# A demo household's letter, for the preview an administrator sees before saving a wording.
DEMO_VALUES: dict[str, Any] = {
    "lead_name": "Mary Demo",
    "application_reference": "A-000001",
    "scheme_words": "council home",
    "policy_name": "Allocations Policy",
    "policy_version": 1,
    "review_days": 21,
    "date": "3 December 2026",
    "reasons": ["No local connection was shown", "The household's income is over the limit"],
    "interpreter_needed": False,
    "interpreter_language": "",
    "easy_read": False,
    "large_print": False,
    "council_name": "the council",
    "when": "Tuesday 15 December 2026 at 10:00am",
    "place": "The Civic Centre, High Street",
    "interpreter_booked": "",
    "unit": "2 Meadow Close (2 bedrooms)",
    "site": "Meadow Close",
    "weekly_charge": "98.50",
    "respond_by": "10 December 2026",
    "reasonable": False,
    "refusals_counted": 1,
    "refusal_limit": 2,
    "suspension_months": 12,
    "band_penalty_until": "",
    "lowest_band": "D",
    "refusal_penalty": "suspend",  # or "lowest_band", where the policy says so
    "suspended_until": "3 December 2027",
    "renew_by": "1 January 2027",
    "close_on": "29 January 2027",
    "reinstate_by": "30 March 2027",
    "ended_on": "3 December 2026",
    "review_by": "31 December 2026",
    "overturned": False,
    "review_reasons": "No band criterion is met: the household is adequately housed",
    "refused_on": "3 November 2026",
    "requested_on": "20 November 2026",
    "band": 3,
    "points": None,
    "band_meaning": "Band 1 is the highest priority and band 4 the lowest. Within a band, "
    "the earliest effective date comes first.",
    "assessed_on": "3 December 2026",
    "effective_date": "1 October 2026",
    "effective_date_reason": "The registration date",
    "bedroom_need": 2,
    "bedroom_reasons": ["Room 1: couple (Mary Demo and John Demo)", "Room 2: Amy Demo (aged 12)"],
    "changed": False,
    "our_reference": "RESALE-000001",
    "home": "4 Orchard Way, Northtown NT1 4AB",
    "product": "shared ownership",
    "seller_name": "Sam Seller",
    "window_ends": "28 January 2027",
    "window_weeks": 8,
    "notice_on": "3 December 2026",
    "valuation": "£240,000.00",
    "valued_on": "1 December 2026",
    "valid_until": "23 February 2027",
    "price": "£180,000.00",
    "discount": "25.00",
    "buyer_name": "Bea Buyer",
    "released_on": "29 January 2027",
    "ended_because": "the home was sold to another buyer we nominated",
    "tenants": ["Mary Demo"],
    "start_date": "1 January 2026",
    "was_ending_on": "1 January 2027",
    "extended_to": "1 July 2027",
    "secure_from": "1 January 2027",
}

ALLOWED_FILTERS = {"pluralize", "default", "upper", "lower", "capfirst", "join"}
ALLOWED_ELEMENTS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "br", "div"}
ALLOWED_CLASSES = {"box"}

_ENGINE = Engine(autoescape=True)
_TEXT_ENGINE = Engine(autoescape=False)


def merge_fields(kind: str) -> tuple[str, ...]:
    if kind in ADDRESSEE_KIND_FIELDS:
        return ADDRESSEE_FIELDS + ADDRESSEE_KIND_FIELDS[kind]
    return COMMON_FIELDS + KIND_FIELDS.get(kind, ())


def demo_context(kind: str) -> dict[str, Any]:
    return {field: DEMO_VALUES.get(field, "") for field in merge_fields(kind)}


class _HtmlCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_ELEMENTS:
            self.problems.append(f"<{tag}> cannot be used in a letter")
        for name, value in attrs:
            if name != "class" or (value or "") not in ALLOWED_CLASSES:
                self.problems.append(f'<{tag} {name}="{value}"> cannot be used in a letter')


def _names_in_condition(condition: Any) -> list[Any]:
    """The filter expressions an {% if %} condition reads (`a and not b == "x"`...)."""
    if isinstance(condition, TemplateLiteral):
        return [condition.value]
    found: list[Any] = []
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            found.extend(_names_in_condition(part))
    return found


def _walk(nodelist: Any, bound: frozenset[str], used: list[str], problems: list[str]) -> None:
    def expression(filter_expression: Any) -> None:
        variable = filter_expression.var
        if isinstance(variable, Variable) and variable.lookups:
            name = variable.lookups[0]
            if name not in bound:
                used.append(name)
        for func, _args in filter_expression.filters:
            if func.__name__ not in ALLOWED_FILTERS:
                problems.append(f"The filter |{func.__name__} cannot be used in a letter")

    for node in nodelist:
        if isinstance(node, TextNode):
            continue
        if isinstance(node, VariableNode):
            expression(node.filter_expression)
        elif isinstance(node, ForNode):
            expression(node.sequence)
            inner = bound | frozenset(node.loopvars) | {"forloop"}
            _walk(node.nodelist_loop, inner, used, problems)
            _walk(node.nodelist_empty, bound, used, problems)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                for found in _names_in_condition(condition) if condition is not None else []:
                    expression(found)
                _walk(branch, bound, used, problems)
        else:
            tag = getattr(node, "token", None)
            words = tag.contents.split()[0] if tag is not None and tag.contents else "that tag"
            problems.append(
                f"{{% {words} %}} cannot be used in a letter: use merge fields, "
                "{% if %} and {% for %} only"
            )


def wording_problems(kind: str, text: str, *, html: bool = True) -> list[str]:
    """Everything wrong with a wording, each said once: syntax, unknown merge fields (named),
    tags, filters and HTML a letter may not use."""
    if "{% load" in text:
        return ["{% load %} cannot be used in a letter"]
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        return [f"The wording cannot be read: {error}"]
    used: list[str] = []
    problems: list[str] = []
    _walk(template.nodelist, frozenset(), used, problems)
    known = set(merge_fields(kind))
    for name in dict.fromkeys(used):
        if name not in known:
            problems.append(
                f"{{{{ {name} }}}} is not a merge field of this letter "
                f"(it has: {', '.join(sorted(known))})"
            )
    if html:
        checker = _HtmlCheck()
        checker.feed(text)
        problems.extend(checker.problems)
    return list(dict.fromkeys(problems))


def wording_render(text: str, context: dict[str, Any], *, html: bool = True) -> str:
    """The wording with its merge fields filled in (escaped in HTML; plain for an email)."""
    engine = _ENGINE if html else _TEXT_ENGINE
    template: Template = engine.from_string(text)
    return template.render(Context(context, autoescape=html))
