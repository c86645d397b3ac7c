"""After the cycle: the published let result of each let advert (how many bid, and the band
and effective date of the successful bidder — never who), and the advertising newsletter of
a cycle in its three editions, drawn by the worker and emailed to each recipient."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from allocations import documents
from allocations.models import (
    BiddingCycle,
    CycleNewsletter,
    LetResult,
    NewsletterRecipient,
    Nomination,
    Offer,
    Scheme,
    Vacancy,
)
from allocations.selectors.policies import policy_in_force
from config.kernel.dates import letter_date, page_moment
from config.kernel.documents import RenderedDocument, document_request
from config.kernel.records import reason_required, save


@transaction.atomic
def let_result_publish(*, vacancy: Vacancy, by: AbstractBaseUser) -> LetResult:
    """Publish what applicants may know about a let: the number of bids and the successful
    bidder's band, tier and effective date as ranked (from the frozen shortlist). A
    provider's home is let through the council's nomination rather than an offer."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.LET:
        raise ValidationError("A result is published once the home is let.")
    if LetResult.objects.filter(vacancy=vacancy).exists():
        raise ValidationError("This let's result is already published.")
    offer = (
        Offer.objects.filter(vacancy=vacancy, status=Offer.Status.ACCEPTED)
        .select_related("entry")
        .first()
    )
    if offer is not None:
        entry = offer.entry
    else:
        nomination = (
            vacancy.nominations.filter(status=Nomination.Status.LET).select_related("entry").first()
        )
        if nomination is None:
            raise ValidationError(
                "No accepted offer, nor a let confirmed on a nomination, is recorded for this home."
            )
        entry = nomination.entry
    snapshot = entry.snapshot
    result = LetResult(
        vacancy=vacancy,
        bid_count=vacancy.bids.filter(withdrawn=False).count(),
        band=snapshot.get("band"),
        points=snapshot.get("points"),
        effective_date=date.fromisoformat(snapshot["effective_date"]),
        connection_tier=entry.connection_tier,
        published_at=timezone.now(),
    )
    save(result, by=by, reason="Let result published")
    return result


def newsletter_adverts(cycle: BiddingCycle):
    """The cycle's adverts still taking bids: not one withdrawn, nor one let outside the cycle
    (a direct let, an Extra Care let) while bidding is open."""
    return cycle.adverts.filter(status=Vacancy.Status.ADVERTISED)


def newsletter_context(cycle: BiddingCycle, edition: str) -> dict[str, Any]:
    """Everything the newsletter says, frozen as plain JSON when it is requested."""
    lettings = policy_in_force(
        scheme=Scheme.CBL, on=timezone.localdate(cycle.opens_at)
    ).policy.lettings
    areas: dict[str, list[dict[str, Any]]] = defaultdict(list)
    adverts = newsletter_adverts(cycle).select_related("unit__site").order_by("area", "reference")
    for advert in adverts:
        unit = advert.unit
        areas[advert.area or unit.site.town or "Other areas"].append(
            {
                "reference": advert.reference,
                "home": f"{unit.reference}, {unit.site.name}",
                "home_type": advert.get_home_type_display(),
                "bedrooms": unit.bedrooms,
                "floor": unit.floor_level,
                "parish": advert.parish,
                "landlord": advert.landlord or settings.COUNCIL_NAME,
                "rent": str(advert.weekly_rent) if advert.weekly_rent is not None else "",
                "charges": str(advert.weekly_charges) if advert.weekly_charges else "",
                "text": advert.advert_text,
                "adapted": bool(unit.adaptations)
                or any(code != "f" for code in advert.access_categories),
                "adaptations": unit.adaptations,
                "access": [lettings.access_words(code) for code in advert.access_categories],
                "min_age": advert.min_age,
                "who": advert.size_and_need_words,
            }
        )
    return {
        "cycle": cycle.reference,
        # What readers are shown for the cycle: its opening day in words, not the reference
        # (C-2027-03-25) it is filed under.
        "week": letter_date(timezone.localdate(cycle.opens_at)),
        "opens": page_moment(cycle.opens_at),
        "closes": page_moment(cycle.closes_at),
        "bid_limit": lettings.bid_limit,
        "phone": settings.LETTINGS_PHONE,
        "areas": [{"name": name, "adverts": items} for name, items in sorted(areas.items())],
        "easy_read": edition == CycleNewsletter.Edition.EASY_READ,
        "large_print": edition == CycleNewsletter.Edition.LARGE_PRINT,
    }


@transaction.atomic
def newsletter_publish(*, cycle: BiddingCycle, by: AbstractBaseUser) -> list[CycleNewsletter]:
    """Request the cycle's newsletter in every edition; the worker draws each, then each
    recipient of that edition is emailed it (`newsletters_email_due`)."""
    cycle = BiddingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.phase not in (BiddingCycle.Phase.UPCOMING, BiddingCycle.Phase.OPEN):
        # Recipients would be told to bid for homes nobody can bid for any more.
        raise ValidationError(
            f"Bidding in this cycle closed at {page_moment(cycle.closes_at)} (UK time): a "
            "newsletter now would advertise homes nobody can bid for."
        )
    if not cycle.adverts.exists():
        raise ValidationError("This cycle has no adverts to put in a newsletter.")
    if not newsletter_adverts(cycle).exists():
        raise ValidationError(
            "Every advert in this cycle has been withdrawn or let outside the cycle: there is "
            "no home to put in a newsletter."
        )
    contexts = {
        edition: newsletter_context(cycle, edition) for edition in CycleNewsletter.Edition.values
    }
    # A second press (or a second officer) would email every recipient the same newsletter
    # again; it is published again only when what it says has changed (an advert added or
    # withdrawn), or when the last one could not be drawn.
    published = cycle.newsletters.exclude(status=RenderedDocument.Status.FAILED).filter(
        edition=CycleNewsletter.Edition.STANDARD
    )
    if any(
        context == contexts[CycleNewsletter.Edition.STANDARD]
        for context in published.values_list("context", flat=True)
    ):
        raise ValidationError(
            "This cycle's newsletter is already published with these adverts: its recipients "
            "are not sent it again."
        )
    newsletters = []
    for edition, context in contexts.items():
        newsletter = CycleNewsletter(
            cycle=cycle,
            edition=edition,
            context=context,
            requested_by=by,
        )
        document_request(newsletter, by=by, reason="Newsletter published")
        newsletters.append(newsletter)
    return newsletters


def newsletters_email_due(*, by: AbstractBaseUser) -> int:
    """Email each drawn newsletter, once, to the active recipients of its edition (claimed
    with SKIP LOCKED and marked sent in the same transaction: never sent twice)."""
    sent = 0
    while True:
        with transaction.atomic():
            newsletter = (
                CycleNewsletter.objects.select_for_update(skip_locked=True)
                .filter(status=RenderedDocument.Status.READY, emailed_at=None)
                .select_related("cycle")
                .first()
            )
            if newsletter is None:
                return sent
            recipients = list(
                NewsletterRecipient.objects.filter(
                    active=True, edition=newsletter.edition
                ).values_list("email", flat=True)
            )
            if recipients:
                with newsletter.file.open("rb") as pdf:
                    content = pdf.read()
                message = EmailMessage(
                    subject=f"Homes to bid for: {documents.newsletter_title(newsletter.context)}",
                    body=(
                        "The homes advertised this week are in the attached newsletter. "
                        f"Bidding closes at {newsletter.context['closes']} (UK time). "
                        f"Households can bid by phone on {newsletter.context['phone']}."
                    ),
                    bcc=recipients,
                )
                message.attach(newsletter.document_filename(), content, "application/pdf")
                message.send()
            newsletter.emailed_at = timezone.now()
            save(newsletter, by=by, reason=f"Newsletter emailed to {len(recipients)} recipients")
            sent += 1


def newsletter_recipient_add(
    *, name: str, kind: str, email: str, edition: str, by: AbstractBaseUser
) -> NewsletterRecipient:
    """Someone the newsletter is sent to: a partner, a library, a support agency. An address
    that was stopped is sent the edition again (its own record, its history kept)."""
    same = NewsletterRecipient.objects.filter(email__iexact=email, edition=edition)
    if same.filter(active=True).exists():
        raise ValidationError({"email": "That address already gets this edition"})
    recipient = same.first()
    if recipient is not None:
        recipient.name, recipient.kind, recipient.active = name, kind, True
        save(recipient, by=by, reason="Newsletter recipient sent the newsletter again")
        return recipient
    recipient = NewsletterRecipient(name=name, kind=kind, email=email, edition=edition)
    save(recipient, by=by, reason="Newsletter recipient added")
    return recipient


@transaction.atomic
def newsletter_recipient_stop(
    *, recipient: NewsletterRecipient, reason: str, by: AbstractBaseUser
) -> NewsletterRecipient:
    """Stop sending the newsletter to a recipient (a wrong address, a partner that asked to
    stop, a library closed), with the reason in its history."""
    reason = reason_required(reason)
    recipient = NewsletterRecipient.objects.select_for_update().get(pk=recipient.pk)
    if not recipient.active:
        raise ValidationError(f"{recipient.name} is already not sent the newsletter.")
    recipient.active = False
    save(recipient, by=by, reason=f"Newsletter no longer sent: {reason}")
    return recipient
