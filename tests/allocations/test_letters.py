import time

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from allocations import services
from allocations.documents import letter_pdf, wording_page_context
from allocations.models import Application, Letter
from allocations.selectors.wordings import wording_current, wording_variant
from config.kernel.documents import document_render
from config.pdf import LocalOnlyFetcher
from tests.allocations.factories import ApplicationFactory, HouseholdWithPeopleFactory

pytestmark = pytest.mark.django_db


def _answers(*, first_met: bool) -> dict:
    policy = services.policy_in_force(scheme="pitch", on=timezone.localdate())
    answers = {item["code"]: {"met": True} for item in policy.rules["eligibility"]}
    answers |= {item["code"]: {"met": False} for item in policy.rules["exclusions"]}
    answers[policy.rules["eligibility"][0]["code"]] = {"met": first_met}
    return answers


def _invalid(officer, **household) -> Letter:
    application = ApplicationFactory(
        status=Application.Status.SUBMITTED, household=HouseholdWithPeopleFactory(**household)
    )
    services.application_validate(
        application=application, answers=_answers(first_met=False), by=officer
    )
    return application.letters.get()


def test_an_invalid_application_gets_a_letter_with_the_reasons_queued_after_commit(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = _invalid(officer)
    assert letter.kind == Letter.Kind.INVALID and letter.status == Letter.Status.REQUESTED
    assert letter.context["reasons"][0].startswith("Not met: ")
    assert len(callbacks) == 1  # the render task is enqueued only once the decision commits


def test_a_valid_application_gets_no_refusal_letter(officer):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    services.application_validate(
        application=application, answers=_answers(first_met=True), by=officer
    )
    assert not application.letters.exists()


def test_drawing_a_letter_twice_draws_it_once(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = _invalid(officer)
    assert document_render(model="allocations.Letter", pk=letter.pk) == "ready"
    assert document_render(model="allocations.Letter", pk=letter.pk) == "already ready"
    letter.refresh_from_db()
    assert letter.file.open("rb").read(5) == b"%PDF-"
    assert len(list((tmp_path / "letters").rglob("*.pdf"))) == 1


def _html(letter: Letter, **overrides) -> str:
    """The letter's page as it is drawn, in the wording in force for its format."""
    context = {**letter.context, **overrides}
    wording = wording_current(kind=letter.kind, variant=wording_variant(context))
    return render_to_string("allocations/pdf/letter.html", wording_page_context(wording, context))


def test_easy_read_households_get_the_easy_read_letter(officer):
    letter = _invalid(officer)
    plain = _html(letter)
    easy = _html(letter, easy_read=True)
    assert "Your application is not valid" in plain and "right to a review" in plain
    assert "We cannot accept your application" in easy and "This is called a review" in easy


def test_letters_escape_what_households_typed(officer):
    letter = _invalid(officer)
    html = _html(letter, lead_name="<img src=http://x/>")
    assert "<img src=http://x/>" not in html and "&lt;img" in html


def test_pdfs_may_not_fetch_anything_outside_their_own_assets(tmp_path):
    fetcher = LocalOnlyFetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://127.0.0.1/secret")
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(f"file://{tmp_path}/../../etc/passwd")
    with pytest.raises(FatalURLFetchingError):
        HTML(string='<img src="file:///etc/passwd">', url_fetcher=LocalOnlyFetcher()).write_pdf()


def test_a_letter_renders_with_its_own_stylesheet(officer):
    letter = _invalid(officer)
    assert letter_pdf(letter).startswith(b"%PDF-")


def test_officers_download_ready_letters_and_business_support_cannot(
    client, officer, business_support, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    letter = _invalid(officer)
    url = reverse("allocations:letter-download", args=[letter.pk])
    client.force_login(officer)
    waiting = client.get(url, follow=True)  # still being prepared: back to the application
    assert waiting.redirect_chain[-1][0] == letter.application.get_absolute_url()
    assert "That letter is still being prepared." in waiting.content.decode()
    document_render(model="allocations.Letter", pk=letter.pk)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{letter.application.reference}-invalid-letter.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(business_support)
    assert client.get(url).status_code == 403


@pytest.mark.celery_worker
def test_a_real_worker_draws_the_letter_after_the_decision_commits(
    transactional_db, celery_worker_process, officer
):
    letter = _invalid(officer)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        letter.refresh_from_db()
        if letter.status != Letter.Status.REQUESTED:
            break
        time.sleep(0.3)
    assert letter.status == Letter.Status.READY, letter.failure
    assert letter.file.open("rb").read(5) == b"%PDF-"


def test_a_letter_that_cannot_be_drawn_says_so_on_its_last_try_only(officer, monkeypatch):
    from types import SimpleNamespace

    from config.kernel.outbox import on_last_try
    from config.tasks import document_render as document_render_task

    def broken():
        raise OSError("The font file is missing")

    # A try before the last: the error goes on to be retried, nothing is recorded.
    recorded: list[str] = []
    early = SimpleNamespace(request=SimpleNamespace(retries=1), max_retries=3)
    with pytest.raises(OSError):
        on_last_try(early, broken, recorded.append)
    assert recorded == []
    with pytest.raises(OSError):
        on_last_try(
            SimpleNamespace(request=SimpleNamespace(retries=3), max_retries=3),
            broken,
            recorded.append,
        )
    assert recorded == ["OSError: The font file is missing"]

    # Through the task: out of retries, the letter's page says why.
    letter = _invalid(officer)
    monkeypatch.setattr(Letter, "document_pdf", lambda _letter: broken())
    last = document_render_task.apply(
        kwargs={"model": "allocations.Letter", "pk": letter.pk},
        retries=document_render_task.max_retries,
    )
    assert isinstance(last.result, OSError)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert letter.failure == "OSError: The font file is missing"
