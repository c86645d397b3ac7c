"""Forms for bidding cycles, adverts in them, phone and in-person bids, connections and
auto-bidding."""

from collections.abc import Mapping, Sequence

from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.core.exceptions import ValidationError

from allocations.forms.common import form_helper
from allocations.models import (
    AutoBidPreference,
    Bid,
    BiddingCycle,
    CycleNewsletter,
    HouseholdConnection,
    LocalLettingsPlan,
    NewsletterRecipient,
    Vacancy,
)
from config.forms import DocumentField, Form, GovDateField, ReasonField


class CycleCreateForm(Form):
    opens_on = GovDateField(label="Opening day", help_text="The day the cycle opens (a Thursday)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("opens_on"), submit="Create the cycle")


class CycleCloseForm(Form):
    reason = ReasonField(label="Why you are closing this cycle by hand")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason", rows=3), submit="Close the cycle and freeze every shortlist"
        )


class AdvertPublishForm(Form):
    cycle = forms.ModelChoiceField(
        label="Bidding cycle",
        queryset=BiddingCycle.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the cycle to publish the advert into"},
    )

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = (
            cycles if cycles is not None else BiddingCycle.objects.none()
        )
        self.fields["cycle"].label_from_instance = lambda c: f"{c.reference}: {c.dates_words}"
        self.helper = form_helper(
            Field.radios("cycle", legend_size=Size.SMALL), submit="Publish the advert"
        )


class AdvertPhotoForm(Form):
    description = forms.CharField(
        label="What the photo shows",
        max_length=200,
        error_messages={"required": "Enter what the photo shows"},
    )
    file = DocumentField(label="Photo (JPEG or PNG)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("description"), Field("file"), submit="Add the photo")


OFFICER_CHANNELS = [
    (Bid.Channel.PHONE, Bid.Channel.PHONE.label),
    (Bid.Channel.IN_PERSON, Bid.Channel.IN_PERSON.label),
]


class HouseholdSearchForm(Form):
    q = forms.CharField(
        label="Household's name or reference",
        help_text="A name, the household reference or the application reference",
        max_length=100,
        error_messages={"required": "Enter a name or a reference to search for"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("q", field_width=20), submit="Search")
        self.helper.form_method = "get"


class OfficerBidForm(Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label="How is the household bidding?",
        choices=OFFICER_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the household is bidding"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("application"),
            Field.radios("channel", legend_size=Size.SMALL, inline=True),
            submit="Place the bid",
        )


class BidWithdrawForm(Form):
    reason = forms.CharField(
        label="Why is the bid being withdrawn?",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Enter why the bid is being withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=2), submit="Withdraw the bid")


class ConnectionForm(Form):
    kind = forms.ChoiceField(
        label="Type of connection",
        choices=HouseholdConnection.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of connection"},
    )
    parish = forms.CharField(
        label="Parish", max_length=80, error_messages={"required": "Enter the parish"}
    )
    since = GovDateField(label="Since")
    evidence_seen = forms.CharField(
        label="Evidence seen",
        max_length=200,
        error_messages={"required": "Enter the evidence seen"},
    )

    def __init__(self, *args, parishes: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The lettings policy's parishes, when it lists them: offered as the parish is typed,
        # and listed in full below it. What was typed stays in the box if it is refused.
        self.parishes = parishes
        if parishes:
            parish = self.fields["parish"]
            parish.help_text = "Choose from the parishes in the lettings policy"
            parish.widget.attrs |= {"list": "parish-list", "autocomplete": "off"}
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("parish", field_width=20),
            *([HTML('{% include "allocations/includes/parish_list.html" %}')] if parishes else []),
            Field("since"),
            Field.text("evidence_seen"),
            submit="Record the connection",
        )


class ConnectionEndForm(Form):
    ended_on = GovDateField(
        label="Date the connection ended",
        help_text="The last day it was true, for example 3 12 2026",
    )
    reason = ReasonField(
        label="Why it ended: the evidence seen",
        help_text="For example, 'Tenancy ended, new address in Hythe'. Auditors will see this "
        "in the connection's history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("ended_on"),
            Field.textarea("reason", rows=3),
            submit="End the connection",
        )


AUTO_BID_AREAS_MAX = 20
AUTO_BID_AREA_LENGTH = 80  # AutoBidPreference.areas' items
PARISHES_LISTED_ONLY = '{% include "allocations/includes/parish_list.html" with listed_only=True %}'


class AutoBidForm(Form):
    """A household's auto-bidding: on or off, why the council bids for it (a group the policy
    in force names), what it wants, and why this change is made."""

    active = forms.TypedChoiceField(
        label="Auto-bidding",
        choices=[
            ("yes", "On: bid for the household when each cycle opens"),
            ("no", "Off: place no bids for the household (its preferences are kept)"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether auto-bidding is on or off",
            "invalid_choice": "Select whether auto-bidding is on or off",
        },
    )
    group = forms.ChoiceField(
        label="Why the council bids for the household",
        required=False,  # but to turn it on (clean)
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why the council bids for the household",
            "invalid_choice": "Select one of the groups the lettings policy names",
        },
    )
    areas = forms.CharField(
        label="Areas, in order of preference",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"max_length": "The areas must be 2,000 characters or fewer"},
    )
    home_types = forms.MultipleChoiceField(
        label="Types of home",
        help_text="Leave all unticked for any type of home.",
        required=False,
        choices=Vacancy.HomeType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the types of home from the list"},
    )
    highest_floor = forms.IntegerField(
        label="Highest floor (optional)",
        help_text="0 for the ground floor. Leave blank for any floor.",
        required=False,
        min_value=0,
        max_value=99,
        # GOV.UK asks for a text input with a numeric keyboard, not type="number".
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "min_value": "The highest floor must be 0 (the ground floor) or more",
            "max_value": "The highest floor must be 99 or less",
            "invalid": "Enter the highest floor as a whole number, like 2 (0 for the ground floor)",
        },
    )
    reason = ReasonField(
        label="Why you are making this change",
        help_text="For example, 'Cannot bid for themselves: support worker's letter of 3 March'. "
        "Auditors will see this in the history.",
    )
    # The preferences' latest change when the page was opened (its history row; 0 when none
    # were recorded): the service refuses a save made on preferences changed since.
    last_change_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        groups: Sequence[Mapping[str, str]] = (),
        parishes: tuple[str, ...] = (),
        last_change: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The preferences' latest change as this page shows them (`last_change_seen_show`).
        self.last_change = last_change
        self.initial["last_change_seen"] = last_change or 0
        self.fields["group"].choices = [(g["code"], g["label"]) for g in groups]
        # The lettings policy's parishes, when it lists them: listed in full below the areas
        # (suggestions as one types need a one-line box; the areas are one a line).
        self.parishes = parishes
        self.fields["areas"].help_text = (
            "One a line, first choice first, from the parishes in the lettings policy. "
            if parishes
            else "One a line, first choice first: an area matches an advert's area or parish. "
        ) + "Leave blank for any area."
        self.helper = form_helper(
            Field.radios("active", legend_size=Size.SMALL),
            Field.radios("group", legend_size=Size.SMALL),
            Field.textarea("areas", rows=4),
            *([HTML(PARISHES_LISTED_ONLY)] if parishes else []),
            Field.checkboxes("home_types", legend_size=Size.SMALL),
            Field.text("highest_floor", field_width=3),
            Field.textarea("reason", rows=3),
            Field("last_change_seen"),
            submit="Save auto-bidding",
        )

    def last_change_seen_show(self) -> None:
        """Once the officer is told the preferences changed since the page was opened, the
        page carries their latest change (with everything typed kept): saving again, having
        checked them, is taken."""
        self.data = self.data.copy()
        self.data["last_change_seen"] = str(self.last_change or 0)

    def clean_last_change_seen(self) -> int | None:
        value = self.cleaned_data["last_change_seen"]
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value) or None
        # Missing (a page opened before it carried one) or not as the page wrote it: what the
        # officer saw cannot be known, so nothing is saved over what is recorded now.
        self.last_change_seen_show()
        raise ValidationError(
            "This page did not say which auto-bidding preferences it showed: check them and "
            "save again"
        )

    @staticmethod
    def initial_from(preference: AutoBidPreference | None) -> dict:
        if preference is None:
            return {"active": "yes"}
        return {
            "active": "yes" if preference.active else "no",
            "group": preference.group,
            "areas": "\n".join(preference.areas),
            "home_types": preference.home_types,
            "highest_floor": preference.highest_floor,
        }

    def clean(self) -> dict:
        data = super().clean()
        # Stopping auto-bidding keeps the group recorded; setting it up or keeping it on needs one.
        if data.get("active") and not data.get("group") and "group" not in self.errors:
            self.add_error("group", self.fields["group"].error_messages["required"])
        return data

    def clean_areas(self) -> list[str]:
        areas = [line.strip() for line in self.cleaned_data["areas"].splitlines() if line.strip()]
        if len(areas) > AUTO_BID_AREAS_MAX:
            raise ValidationError(f"Enter {AUTO_BID_AREAS_MAX} areas or fewer")
        if long := [area for area in areas if len(area) > AUTO_BID_AREA_LENGTH]:
            raise ValidationError(
                f"Each area must be {AUTO_BID_AREA_LENGTH} characters or fewer: "
                f"“{long[0][:20]}…” has {len(long[0])}"
            )
        return areas


class NewsletterRecipientForm(Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the name"}
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=NewsletterRecipient.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of recipient"},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    edition = forms.ChoiceField(
        label="Edition",
        choices=CycleNewsletter.Edition.choices,
        widget=forms.RadioSelect,
        initial="standard",
        error_messages={"required": "Select the edition"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("email"),
            Field.radios("edition", legend_size=Size.SMALL, inline=True),
            submit="Add the recipient",
        )


class NewsletterRecipientStopForm(Form):
    reason = ReasonField(label="Why the newsletter is no longer sent to them")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason", rows=3), submit="Stop sending the newsletter"
        )


class LocalLettingsPlanForm(Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the plan's name"}
    )
    area = forms.CharField(
        label="Parish or area",
        max_length=80,
        error_messages={"required": "Enter the parish or area the plan covers"},
    )
    description = forms.CharField(
        label="What the plan is for", widget=forms.Textarea, required=False
    )
    local_connection = forms.ChoiceField(
        label="Local connection to the advert's parish",
        choices=LocalLettingsPlan.Use.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    work_or_volunteering = forms.ChoiceField(
        label="Someone in the household in work or volunteering",
        help_text="Read from the household's work and volunteering connections.",
        choices=LocalLettingsPlan.Use.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    min_age = forms.IntegerField(
        label="Lead applicant's minimum age",
        required=False,
        min_value=16,
        max_value=120,
        error_messages={
            "min_value": "The minimum age must be 16 or more",
            "max_value": "The minimum age must be 120 or less",
            "invalid": "Enter the minimum age as a whole number, like 55",
        },
    )
    min_age_use = forms.ChoiceField(
        label="Minimum age",
        choices=LocalLettingsPlan.Use.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    no_recent_asb = forms.ChoiceField(
        label="No one in the household with a proven anti-social behaviour record",
        help_text="Read from nuisance or anti-social behaviour breaches of the household's "
        "licence or tenancy on which a notice to remedy was served.",
        choices=LocalLettingsPlan.Use.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    asb_months = forms.IntegerField(
        label="Months an anti-social behaviour record counts for",
        help_text="For example, 12: a breach observed in the 12 months before the closing "
        "date counts.",
        required=False,
        min_value=1,
        max_value=120,
        error_messages={
            "min_value": "The months must be 1 or more",
            "max_value": "The months must be 120 (10 years) or fewer",
            "invalid": "Enter the months as a whole number, like 12",
        },
    )
    under_occupation = forms.ChoiceField(
        label="Tenants releasing a home larger than they need",
        help_text="A household with a live tenancy of a council or housing association home "
        "with more bedrooms than its assessed bedroom need.",
        choices=LocalLettingsPlan.Use.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    working_share = forms.IntegerField(
        label="Share of lets to households in work (%)",
        help_text="Optional. While fewer of the plan's lets so far went to households with "
        "someone in work, those households rank first at the close; once the share is met it "
        "does not change the order.",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": "The share must be 1%% or more",
            "max_value": "The share must be 100%% or less",
            "invalid": "Enter the share as a whole number, like 50",
        },
    )
    active = forms.BooleanField(label="Can be put on new adverts", required=False, initial=True)

    def __init__(self, *args, submit: str = "Add the plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.text("area", field_width=20),
            Field.textarea("description", rows=3),
            Field.radios("local_connection", legend_size=Size.SMALL, inline=True),
            Field.radios("work_or_volunteering", legend_size=Size.SMALL, inline=True),
            Field.text("min_age", field_width=3),
            Field.radios("min_age_use", legend_size=Size.SMALL, inline=True),
            Field.radios("no_recent_asb", legend_size=Size.SMALL, inline=True),
            Field.text("asb_months", field_width=3),
            Field.radios("under_occupation", legend_size=Size.SMALL, inline=True),
            Field.text("working_share", field_width=3),
            Field.checkbox("active"),
            submit=submit,
        )


class LocalLettingsPlanApprovalForm(Form):
    starts_on = GovDateField(
        label="Start date", help_text="The plan applies to adverts opening on or after this day."
    )
    ends_on = GovDateField(
        label="End date",
        required=False,
        help_text="Optional. Adverts opening after this day are let without the plan.",
    )
    reason = ReasonField(label="Why the plan is approved")

    def __init__(self, *args, submit: str = "Approve the plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("starts_on"), Field("ends_on"), Field.textarea("reason"), submit=submit
        )
