"""Letters to households: requested, drawn by a worker, kept privately, sent by the channel
the household prefers; and the council's wording of each letter, in versions."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from allocations.models.applications import Application
from config.kernel import outbox
from config.kernel.documents import RenderedDocument
from config.kernel.files import PrivateFileField
from config.kernel.history_rows import HistoricalRecords

# The task that sends a drawn letter (allocations.tasks.letter_send), named so that the model
# need not import the tasks.
LETTER_SEND_TASK = "allocations.tasks.letter_send"


def letter_send_queue(letter: "Letter") -> None:
    """Have the letter sent once this transaction commits (an outbox job)."""
    outbox.enqueue(LETTER_SEND_TASK, what="the letter will be sent", letter_id=letter.pk)


class Letter(RenderedDocument):
    """A letter to a household about its application, rendered to PDF by a Celery task.

    Requested in the same transaction as the decision it explains; the PDF, once written, is
    never regenerated over (a new request makes a new letter). Once drawn it is sent by the
    channel chosen when it was requested (allocations.services.sending).
    """

    class Kind(models.TextChoices):
        INVALID = "invalid", "Application not valid"
        INTERVIEW = "interview", "Invitation to interview"
        OFFER = "offer", "Offer"
        REFUSAL = "refusal", "Refusal recorded"
        SUSPENSION = "suspension", "Application suspended after refusals"
        DECISION = "decision", "Allocation decision"
        RENEWAL_REMINDER = "renewal_reminder", "Renewal reminder"
        RENEWAL_HOLD = "renewal_hold", "Renewal not answered: on hold"
        RENEWAL_CLOSED = "renewal_closed", "Closed: renewal not answered"
        SUSPENSION_ENDED = "suspension_ended", "Suspension ended"
        REGISTRATION_REFUSED = "registration_refused", "Registration refused"
        REGISTRATION_REVIEW = "registration_review", "Review of a refused registration"
        # Choice-based lettings (s.166A(9)(b),(c)): the band, date and bedroom need decided,
        # with the review right, and the outcome of a review.
        ASSESSMENT_DECISION = "assessment_decision", "Band and bedroom need decided"
        BAND_REVIEW = "band_review", "Review of a band assessment"
        # Low-cost home ownership resales: to the seller or to a purchaser on the register,
        # neither of whom is a household with an application (see `resale_case`).
        RESALE_NOTICE = "resale_notice", "Resale: notice received"
        RESALE_VALUATION = "resale_valuation", "Resale: valuation and its expiry"
        RESALE_NOMINATED = "resale_nominated", "Resale: buyer nominated (to the seller)"
        RESALE_NOMINEE = "resale_nominee", "Resale: you are nominated (to the buyer)"
        RESALE_NOT_ELIGIBLE = "resale_not_eligible", "Resale: buyer not eligible"
        RESALE_RELEASED = "resale_released", "Resale: released to the open market"
        # A nomination the council ended (the home released, or sold to another nominee).
        RESALE_ENDED = "resale_ended", "Resale: your nomination has ended (to the buyer)"
        # A nominee withdrew themselves: the seller is told, as of every other step.
        RESALE_WITHDRAWN = "resale_withdrawn", "Resale: nominated buyer withdrew (to the seller)"
        # Introductory tenancies (Housing Act 1996 s.125A/B): to the tenants (see `tenancy`).
        INTRO_EXTENDED = "intro_extended", "Introductory tenancy extended"
        INTRO_CONFIRMED = "intro_confirmed", "Introductory tenancy confirmed"

    # Letters addressed from their context (name and address frozen when requested), not
    # from an application's household.
    RESALE_KINDS = (
        Kind.RESALE_NOTICE,
        Kind.RESALE_VALUATION,
        Kind.RESALE_NOMINATED,
        Kind.RESALE_NOMINEE,
        Kind.RESALE_NOT_ELIGIBLE,
        Kind.RESALE_RELEASED,
        Kind.RESALE_ENDED,
        Kind.RESALE_WITHDRAWN,
    )
    TENANCY_KINDS = (Kind.INTRO_EXTENDED, Kind.INTRO_CONFIRMED)

    class Channel(models.TextChoices):
        EMAIL = "email", "Email with the letter attached"
        POST = "post", "Printed and posted"
        # A household that prefers to be seen (or has neither an email nor a postal address):
        # the case officer prints the letter and hands it over, and records when and to whom.
        BY_HAND = "by_hand", "Handed over in person"

    class Delivery(models.TextChoices):
        # Letters drawn before letters were sent: the officer sent them by hand.
        BY_OFFICER = "by_officer", "Drawn for the officer to send"
        WAITING = "waiting", "Waiting to be sent"
        EMAILED = "emailed", "Emailed"
        IN_POST_ROOM = "in_post_room", "Waiting in the post room"
        POSTED = "posted", "Posted"
        TO_HAND_OVER = "to_hand_over", "Waiting to be handed over"
        HANDED_OVER = "handed_over", "Handed over"
        FAILED = "failed", "Could not be sent"

    # What the letter is about: exactly one of an application, a resale case or a tenancy.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="letters", null=True, blank=True
    )
    resale_case = models.ForeignKey(
        "allocations.ResaleCase",
        on_delete=models.PROTECT,
        related_name="letters",
        null=True,
        blank=True,
    )
    tenancy = models.ForeignKey(
        "residents.Licence",
        on_delete=models.PROTECT,
        related_name="letters",
        null=True,
        blank=True,
    )
    kind = models.CharField("letter", max_length=20, choices=Kind.choices)
    context = models.JSONField("what the letter says", help_text="Frozen when requested.")
    file = PrivateFileField("PDF", upload_to="letters/%Y/%m/", blank=True)
    wording = models.ForeignKey(
        "LetterWording",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name="wording version",
    )
    channel = models.CharField(
        "sent by", max_length=10, choices=Channel.choices, default=Channel.POST
    )
    delivery = models.CharField(
        "delivery", max_length=20, choices=Delivery.choices, default=Delivery.WAITING
    )
    sent_to = models.CharField("sent to", max_length=254, blank=True)
    sent_at = models.DateTimeField("sent at", null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    send_round = models.PositiveSmallIntegerField("times sent", default=1)
    delivery_reference = models.CharField("carrier's reference", max_length=200, blank=True)
    delivery_failure = models.TextField("why it could not be sent", blank=True)

    history = HistoricalRecords()
    CHANGE_LOG_LABEL = (
        "application",
        "resale_case",
        "tenancy",
    )  # as the pages name it (config/changelog.py)

    document_name = "Letter"

    class Meta:
        ordering = ["-requested_at"]
        permissions = [
            ("post_letter", "Can print letters in the post room and mark them posted"),
            ("send_letter", "Can send a letter again"),
        ]
        indexes = [models.Index(fields=["delivery"], name="letter_delivery")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        application__isnull=False,
                        resale_case__isnull=True,
                        tenancy__isnull=True,
                    )
                    | models.Q(
                        application__isnull=True,
                        resale_case__isnull=False,
                        tenancy__isnull=True,
                    )
                    | models.Q(
                        application__isnull=True,
                        resale_case__isnull=True,
                        tenancy__isnull=False,
                    )
                ),
                name="letter_about_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.about}"

    @property
    def about(self):
        """The record the letter is about: its application, resale case or tenancy."""
        return self.application or self.resale_case or self.tenancy

    @property
    def reference(self) -> str:
        """ "Our reference" on the letter, in file names and email subjects."""
        if self.application_id:
            return self.application.reference
        if self.tenancy_id:
            return self.tenancy.reference
        return f"RESALE-{self.resale_case_id:06d}"

    @property
    def addressee(self) -> str:
        return str(self.context.get("lead_name", ""))

    def get_absolute_url(self) -> str:
        return self.about.get_absolute_url()

    def document_pdf(self) -> bytes:
        from allocations import documents

        return documents.letter_pdf(self)

    def document_filename(self) -> str:
        return f"letter-{self.pk}.pdf"

    def document_ready(self, pdf: bytes) -> None:
        # Drawn: its sending is queued in the same transaction that marks it ready, so a
        # drawn letter is never left unsent and never queued twice.
        letter_send_queue(self)


class LetterWording(models.Model):
    """One version of what a kind of letter says, in one format, from a date.

    A new version never changes a letter already requested: each letter keeps the version it
    was drawn with.
    """

    class Variant(models.TextChoices):
        STANDARD = "standard", "Standard"
        EASY_READ = "easy_read", "Easy read"
        LARGE_PRINT = "large_print", "Large print"

    kind = models.CharField("letter", max_length=20, choices=Letter.Kind.choices)
    variant = models.CharField(
        "format", max_length=20, choices=Variant.choices, default=Variant.STANDARD
    )
    version = models.PositiveIntegerField("version")
    subject = models.CharField(
        "title", max_length=200, help_text="The letter's title and the email's subject."
    )
    body = models.TextField("the letter's words")
    email_text = models.TextField(
        "the email's words", help_text="Sent with the letter attached, to households by email."
    )
    effective_from = models.DateField("used from")
    reason = models.TextField("why it changed")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    # Belongs to no record: named by what it is the wording of, as its history page is.
    CHANGE_LOG_LABEL = ("kind", "variant", "version")

    class Meta:
        ordering = ["kind", "variant", "-version"]
        verbose_name = "letter wording"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "variant", "version"], name="letter_wording_version_unique"
            )
        ]

    def __str__(self) -> str:
        variant = self.get_variant_display().lower()
        return f"{self.get_kind_display()} ({variant}), version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("allocations:wording-history", args=[self.kind, self.variant])
