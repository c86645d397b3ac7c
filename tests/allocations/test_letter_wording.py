"""Administrators keep the council's wording of every letter as versions with merge fields:
checked when saved (an unknown merge field is refused by name), previewed with a demo
household before it is saved, used from its date; each letter keeps the version it used."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from allocations import documents, services
from allocations.models import Letter, LetterWording
from allocations.rules.wording import wording_problems
from allocations.selectors.wordings import wording_current
from tests.allocations.factories import ActiveApplicationFactory

pytestmark = pytest.mark.django_db

OFFER_BODY = (
    "<h1>An offer of {{ unit }}</h1>\n"
    "<p>Dear {{ lead_name }}, please reply by {{ respond_by }}.</p>"
)


def _add(administrator, **overrides):
    fields = {
        "kind": "offer",
        "variant": "standard",
        "subject": "Offer",
        "body": OFFER_BODY,
        "email_text": "Dear {{ lead_name }}, your offer is attached.",
        "effective_from": timezone.localdate(),
        "reason": "Plainer words, after the tenants' panel",
        "by": administrator,
    }
    return services.wording_add(**{**fields, **overrides})


def test_every_letter_starts_with_its_template_wording_in_each_format():
    for kind in Letter.Kind.values:
        for variant in LetterWording.Variant.values:
            wording = wording_current(kind=kind, variant=variant)
            # Version 1, or a later one a migration corrected (saying so).
            assert wording.version == 1 or wording.reason.startswith("Corrected:")
            assert wording_problems(kind, wording.body) == []
    reminder = wording_current(kind="renewal_reminder", variant="standard")
    assert reminder.subject == "Please renew your application"
    assert "applications are renewed every year" in reminder.body


def test_an_unknown_merge_field_is_refused_by_name(administrator):
    with pytest.raises(ValidationError) as refused:
        _add(administrator, body=OFFER_BODY + "<p>{{ tenancy_start }}</p>", email_text="{{ rent }}")
    problems = refused.value.message_dict
    assert "{{ tenancy_start }} is not a merge field of this letter" in problems["body"][0]
    assert "{{ rent }} is not a merge field" in problems["email_text"][0]
    assert not LetterWording.objects.filter(created_by=administrator).exists()


def test_tags_and_html_a_letter_may_not_use_are_refused(administrator):
    with pytest.raises(ValidationError) as refused:
        _add(administrator, body='{% include "secret.html" %}<script>x</script>{{ unit|safe }}')
    body = " ".join(refused.value.message_dict["body"])
    assert "{% include %} cannot be used" in body
    assert "<script> cannot be used" in body and "|safe cannot be used" in body


def test_a_new_version_is_used_from_its_date_and_letters_keep_theirs(administrator, officer):
    application = ActiveApplicationFactory()
    context = documents.letter_context(
        application, reasons=[], policy=services.policy_for(application), extra={"unit": "Pitch 4"}
    )
    request = {"application": application, "kind": "offer", "context": context, "by": officer}
    before = services.letter_request(**request)
    first = before.wording.version
    later = _add(administrator, effective_from=timezone.localdate() + timedelta(days=7))
    assert later.version == first + 1
    assert wording_current(kind="offer", variant="standard").version == first  # not yet
    today = _add(administrator)
    assert today.version == first + 2
    after = services.letter_request(**request)
    assert after.wording == today
    before.refresh_from_db()
    assert before.wording.version == first
    html = documents.wording_page_context(after.wording, context)["wording_html"]
    assert "An offer of Pitch 4" in html


def test_the_new_version_page_previews_with_a_demo_household_before_saving(client, administrator):
    client.force_login(administrator)
    url = reverse("allocations:wording-new", args=["offer", "standard"])
    page = client.get(url).content.decode()
    assert "Preview the letter" in page and "Save this version" not in page
    today = timezone.localdate()
    form = {
        "subject": "Offer of {{ unit }}",
        "body": OFFER_BODY,
        "email_text": "Dear {{ lead_name }}, your offer is attached.",
        "effective_from_0": today.day,
        "effective_from_1": today.month,
        "effective_from_2": today.year,
        "reason": "Plainer words",
        "preview": "preview",
    }
    preview = client.post(url, form)
    text = preview.content.decode()
    assert preview.status_code == 200 and "Save this version" in text
    assert "Preview for a demo household (Mary Demo)" in text
    assert "An offer of 2 Meadow Close (2 bedrooms)" in text
    assert not LetterWording.objects.filter(kind="offer", created_by=administrator).exists()

    # Saving words other than those previewed shows the preview again instead.
    fingerprint = preview.context["form"]["previewed"].value()
    changed = client.post(
        url, {**form, "body": OFFER_BODY + "<p>More.</p>", "previewed": fingerprint, "save": "save"}
    )
    assert changed.status_code == 200 and "check it again" in changed.content.decode()
    assert not LetterWording.objects.filter(kind="offer", created_by=administrator).exists()

    saved = client.post(url, {**form, "previewed": fingerprint, "save": "save"})
    assert saved.status_code == 302
    wording = LetterWording.objects.get(kind="offer", variant="standard", created_by=administrator)
    assert wording.reason == "Plainer words"
    history = client.get(saved.url).content.decode()
    assert f"Version {wording.version}" in history and "Version 1" in history
    assert "Plainer words" in history


def test_an_unknown_merge_field_on_the_page_keeps_what_was_typed(client, administrator):
    client.force_login(administrator)
    url = reverse("allocations:wording-new", args=["offer", "easy_read"])
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "subject": "Offer",
            "body": "<p>Dear {{ lead_nmae }}</p>",
            "email_text": "Hello",
            "effective_from_0": today.day,
            "effective_from_1": today.month,
            "effective_from_2": today.year,
            "reason": "Typo test",
            "preview": "preview",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "{{ lead_nmae }} is not a merge field of this letter" in text
    assert "Dear {{ lead_nmae }}" in text  # what was typed is kept
    assert "Save this version" not in text


def test_only_administrators_keep_the_wording(client, officer, administrator):
    client.force_login(officer)
    assert client.get(reverse("allocations:wording-list")).status_code == 403
    client.force_login(administrator)
    page = client.get(reverse("allocations:wording-list")).content.decode()
    assert "Invitation to interview" in page and "Easy read" in page
    assert (
        client.get(reverse("allocations:wording-history", args=["nope", "standard"])).status_code
        == 404
    )
