"""Forms for letters: the council's wording of each letter, and sending one again."""

import hashlib

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Letter
from config.forms import Form, GovDateField, ReasonField


def wording_fingerprint(*, subject: str, body: str, email_text: str) -> str:
    """What was previewed: saving is allowed only for the words the preview showed."""
    text = "\x1f".join(part.strip() for part in (subject, body, email_text))
    return hashlib.sha256(text.encode()).hexdigest()


class WordingForm(Form):
    subject = forms.CharField(
        label="Title",
        max_length=200,
        help_text="The letter's title, and the subject of its email.",
        error_messages={"required": "Enter the title"},
    )
    body = forms.CharField(
        label="The letter's words",
        widget=forms.Textarea(attrs={"rows": 16}),
        # Shown as HTML by the GOV.UK templates: the tags are named, not written.
        help_text="In HTML: paragraphs (p), headings (h1, h2), lists (ul, li) and a box "
        '(div class="box"), with merge fields like {{ lead_name }}.',
        error_messages={"required": "Enter the letter's words"},
    )
    email_text = forms.CharField(
        label="The email's words",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, sent with the letter attached to households who prefer email.",
        error_messages={"required": "Enter the email's words"},
    )
    effective_from = GovDateField(label="Used from", help_text="For example, 27 3 2027")
    reason = ReasonField(label="Why the wording is changing")
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The buttons (preview; save what was previewed) are the page's own.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("subject"),
            Field.textarea("body"),
            Field.textarea("email_text"),
            Field("effective_from"),
            Field.text("reason"),
            Field("previewed"),
        )

    def fingerprint(self) -> str:
        data = self.cleaned_data
        return wording_fingerprint(
            subject=data["subject"], body=data["body"], email_text=data["email_text"]
        )


class LetterSendAgainForm(Form):
    channel = forms.ChoiceField(
        label="Send it by",
        choices=Letter.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose email, post or by hand"},
    )
    reason = ReasonField(label="What has been put right")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("channel"), Field.text("reason"), submit="Send it again"
        )


class LetterHandedOverForm(Form):
    handed_to = forms.CharField(
        label="Handed to",
        max_length=200,
        help_text="The name of the person who took it.",
        error_messages={"required": "Enter the name of the person it was handed to"},
    )
    on = GovDateField(label="Handed over on", help_text="For example, 3 12 2026")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where, and anything said (read to them, explained in person).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("handed_to"), Field("on"), Field.textarea("note"), submit="Record it"
        )
