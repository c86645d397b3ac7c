"""Letters about applications: what each says (frozen when requested) and how it is drawn."""

from typing import Any

from django.conf import settings
from django.utils import timezone

from allocations.models import Application, Letter, Scheme
from config.kernel.dates import letter_date
from config.pdf import pdf_render
from residents.models import Person

TEMPLATES = {
    Letter.Kind.INVALID: "allocations/pdf/invalid_application.html",
    Letter.Kind.INTERVIEW: "allocations/pdf/interview.html",
    Letter.Kind.OFFER: "allocations/pdf/offer.html",
    Letter.Kind.REFUSAL: "allocations/pdf/refusal.html",
    Letter.Kind.SUSPENSION: "allocations/pdf/suspension.html",
    Letter.Kind.DECISION: "allocations/pdf/decision.html",
    Letter.Kind.RENEWAL_REMINDER: "allocations/pdf/renewal_reminder.html",
    Letter.Kind.RENEWAL_HOLD: "allocations/pdf/renewal_hold.html",
    Letter.Kind.RENEWAL_CLOSED: "allocations/pdf/renewal_closed.html",
    Letter.Kind.SUSPENSION_ENDED: "allocations/pdf/suspension_ended.html",
    Letter.Kind.REGISTRATION_REFUSED: "allocations/pdf/registration_refused.html",
    Letter.Kind.REGISTRATION_REVIEW: "allocations/pdf/registration_review.html",
}


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


def letter_pdf(letter: Letter) -> bytes:
    return pdf_render(
        TEMPLATES[letter.kind], {**letter.context, "council_name": settings.COUNCIL_NAME}
    )


def newsletter_pdf(newsletter) -> bytes:
    """The advertising newsletter of a cycle, in its edition (standard, easy read, large)."""
    return pdf_render(
        "allocations/pdf/newsletter.html",
        {**newsletter.context, "council_name": settings.COUNCIL_NAME},
    )
