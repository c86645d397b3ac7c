"""Letters about applications: what each says (frozen when requested) and how it is drawn."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from allocations.models import Application, Letter, LetterWording, Scheme
from allocations.rules.wording import wording_render
from config.kernel.dates import letter_date
from config.pdf import pdf_render
from residents.models import Person


def letter_context(
    application: Application,
    *,
    reasons: list[str],
    policy,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the letter says, as plain JSON, so a retry draws exactly the same letter.

    `extra` carries what one kind of letter adds (the interview's time and place, the unit
    offered, the refusals counted...); it must be JSON too.
    """
    household = application.household
    lead = household.people.filter(relationship=Person.Relationship.LEAD).first()
    return {
        "application_reference": application.reference,
        "scheme_words": "pitch" if application.scheme == Scheme.PITCH else "council home",
        "reasons": reasons,
        "policy_name": policy.name,
        "policy_version": policy.version,
        "review_days": policy.policy.review_days,
        "lead_name": f"{lead.first_name} {lead.last_name}" if lead else "Applicant",
        "address": [
            line
            for line in (
                household.address_line_1,
                household.address_line_2,
                household.town,
                household.postcode,
            )
            if line
        ],
        "easy_read": household.easy_read,
        "large_print": household.large_print,
        "interpreter_needed": household.interpreter_needed,
        "interpreter_language": household.interpreter_language,
        "date": letter_date(timezone.localdate()),
        **(extra or {}),
    }


def letter_wording_for(letter: Letter) -> LetterWording:
    """The wording the letter was requested with (else the one in force now)."""
    from allocations.selectors.wordings import wording_current, wording_variant

    if letter.wording_id:
        return letter.wording
    return wording_current(kind=letter.kind, variant=wording_variant(letter.context))


def letter_merge_context(letter: Letter) -> dict[str, Any]:
    return {**letter.context, "council_name": settings.COUNCIL_NAME}


def letter_title(letter: Letter) -> str:
    wording = letter_wording_for(letter)
    return wording_render(wording.subject, letter_merge_context(letter), html=False).strip()


def letter_pdf(letter: Letter) -> bytes:
    """The letter: the council's address block and sign-off around the wording's words."""
    return wording_pdf(letter_wording_for(letter), letter_merge_context(letter))


def wording_pdf(wording: LetterWording, context: dict[str, Any]) -> bytes:
    return pdf_render("allocations/pdf/letter.html", wording_page_context(wording, context))


def wording_page_context(wording: LetterWording, context: dict[str, Any]) -> dict[str, Any]:
    return {
        **context,
        "title": wording_render(wording.subject, context, html=False).strip(),
        # Escaped field by field by the wording's own template (wording_render).
        "wording_html": mark_safe(wording_render(wording.body, context)),  # noqa: S308
    }


def newsletter_title(context: dict[str, Any]) -> str:
    """The cycle as readers are told it ("the week opening 25 March 2027"), not the reference
    it is filed under (C-2027-03-25); a newsletter frozen before the opening day was kept
    says its reference."""
    if context.get("week"):
        return f"the week opening {context['week']}"
    return str(context.get("cycle", ""))


def newsletter_pdf(newsletter) -> bytes:
    """The advertising newsletter of a cycle, in its edition (standard, easy read, large)."""
    return pdf_render(
        "allocations/pdf/newsletter.html",
        {
            **newsletter.context,
            "title": newsletter_title(newsletter.context),
            "council_name": settings.COUNCIL_NAME,
        },
    )


def extracare_pack_pdf(pack) -> bytes:
    """The Extra Care panel pack: the referrals on the agenda with their assessments."""
    return pdf_render(
        "allocations/pdf/extracare_pack.html",
        {**pack.context, "council_name": settings.COUNCIL_NAME},
    )
