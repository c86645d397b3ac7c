import pytest
from django.template import Context, Template

from tests.factories import UserFactory


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_button_link_escapes_its_text():
    html = render('{% button_link url text style="warning" %}', url="/o/1/", text="<b>Go</b>")
    assert html == (
        '<a class="govuk-button govuk-button--warning" role="button" draggable="false" '
        'data-module="govuk-button" href="/o/1/">&lt;b&gt;Go&lt;/b&gt;</a>'
    )


def test_a_summary_row_says_not_recorded_for_nothing_and_names_its_change_link():
    assert "Not recorded" in render('{% summary_row "Phone" "" %}')
    html = render('{% summary_row "Phone" "01234" href="/p/" %}')
    assert '<a class="govuk-link" href="/p/">Change<span class="govuk-visually-hidden"> phone' in (
        html
    )


def test_a_status_tag_takes_only_gov_uk_colours():
    assert render('{% status_tag "Live" colour="green" %}') == (
        '<strong class="govuk-tag govuk-tag--green">Live</strong>'
    )
    assert render('{% status_tag "Odd" colour="x onclick" %}') == (
        '<strong class="govuk-tag">Odd</strong>'
    )


@pytest.mark.django_db
def test_people_are_named_never_by_username():
    named = UserFactory(username="jw1", first_name="Jo", last_name="Ward")
    nameless = UserFactory(username="svc", first_name="", last_name="")
    assert render("{{ u|user_name }}", u=named) == "Jo Ward"
    assert render("{{ u|user_name }}", u=nameless) == "svc"
    assert render("{{ u|user_name }}", u=None) == "Unknown"


def test_a_summary_row_of_markup_keeps_the_page_s_own_markup_and_escapes_the_key():
    html = render(
        '{% summary_row_of key %}<a class="govuk-link" href="/h/1/">{{ name }}</a>'
        "{% end_summary_row %}",
        key="Household <1>",
        name="O'Brien",
    )
    assert html == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
        'Household &lt;1&gt;</dt><dd class="govuk-summary-list__value">'
        '<a class="govuk-link" href="/h/1/">O&#x27;Brien</a></dd></div>'
    )


def test_a_button_link_can_float_and_download():
    html = render(
        '{% button_link "/r.csv" "Download CSV" style="secondary" float_right=True download=True %}'
    )
    assert 'class="govuk-button govuk-button--secondary app-float-right"' in html
    assert 'href="/r.csv" download>' in html
