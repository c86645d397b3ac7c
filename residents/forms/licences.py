"""Forms for licences and occupants: input shape only."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from config.forms import DocumentField, Form, GovDateField, StaffChoiceField
from config.kernel.inputs import TENANCY
from config.roles import OFFICER, TEAM_LEADER
from residents.forms.common import MoneyField, form_helper, reason_field
from residents.models import (
    Licence,
    LicenceOccupant,
    Person,
    UnauthorisedOccupant,
)
from residents.services.licence_endings import SUCCESSOR_JOINT, SUCCESSOR_RELATIONSHIPS


class LicenceSearchForm(Form):
    q = forms.CharField(label="Licence or household reference", required=False, max_length=20)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Licence.Status.choices]
    )


class LicenceForm(Form):
    start_date = GovDateField(label="Start date", plausible=TENANCY)
    weekly_fee = MoneyField(label="Weekly pitch fee (£)")
    deposit = MoneyField(label="Deposit (£)")
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("start_date"),
            Field.text("weekly_fee", field_width=5),
            Field.text("deposit", field_width=5),
            Field.textarea("reason", rows=2),
            submit="Save licence",
        )


class TenancyForm(Form):
    """A draft tenancy's terms: its start, rent and service charges."""

    start_date = GovDateField(label="Start date", plausible=TENANCY)
    weekly_rent = MoneyField(label="Weekly rent (£)")
    service_charge = MoneyField(label="Weekly service charges (£)")
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("start_date"),
            Field.text("weekly_rent", field_width=5),
            Field.text("service_charge", field_width=5),
            Field.textarea("reason", rows=2),
            submit="Save tenancy",
        )


class IntroductoryReviewForm(Form):
    """The introductory period's review: confirm (secure from its end) or extend by 6 months."""

    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=[
            ("confirm", "Confirm: the tenancy becomes secure when the introductory period ends"),
            ("extend", "Extend the introductory period by 6 months"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to confirm or extend the tenancy"},
    )
    reason = forms.CharField(
        label="Why is it extended?",
        help_text="Only when extending. The notice to the tenant gives this reason.",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            submit="Record the review",
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "extend" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the introductory period is extended")
        return data


class StatementForm(Form):
    given_on = GovDateField(label="Date the written statement was given", plausible=TENANCY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("given_on"), submit="Record statement as given")


class SignForm(Form):
    signed_on = GovDateField(label="Date signed", plausible=TENANCY)
    # Officers and team leaders: the roles that sign up licences (config/roles.py).
    witnessed_by = StaffChoiceField(
        label="Witnessing officer", roles=[OFFICER, TEAM_LEADER], empty_label="Choose an officer"
    )
    holders_signed = forms.BooleanField(
        label="Every licence holder has signed the agreement",
        error_messages={"required": "Confirm that every licence holder has signed"},
    )
    # Tenancies: the keys are handed over at the sign-up.
    keys_handed_over_on = GovDateField(
        label="Date the keys were handed over", plausible=TENANCY, required=False
    )

    def __init__(self, *args, licence: Licence | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        tenancy = licence is not None and licence.is_tenancy
        layout = [Field("signed_on"), Field.select("witnessed_by")]
        if tenancy:
            self.fields["holders_signed"].label = "Every tenant has signed the tenancy agreement"
            self.fields["holders_signed"].error_messages["required"] = (
                "Confirm that every tenant has signed"
            )
            layout.append(Field("keys_handed_over_on"))
        else:
            del self.fields["keys_handed_over_on"]
        self.helper = form_helper(
            *layout,
            Field.checkbox("holders_signed"),
            submit=f"Record {'tenancy' if tenancy else 'licence'} as signed",
        )


class EndForm(Form):
    # The council never ends an agreement itself: only the occupier's notice, a court's order
    # (with its ground) or a death with nobody succeeding. Abandonment goes through the court.
    reason = forms.ChoiceField(
        label="Why is the licence ending?",
        choices=[
            (Licence.EndReason.NOTICE, "The licence holder gave at least 4 weeks' written notice"),
            (Licence.EndReason.COURT_ORDER, "A court ordered it to end"),
            (Licence.EndReason.DEATH, "The licence holder died and nobody is succeeding"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the licence is ending"},
    )
    notice_given_on = GovDateField(
        label="Date written notice was given", plausible=TENANCY, required=False
    )
    court_ground = forms.ChoiceField(
        label="Ground the court ended it on",
        required=False,
        choices=[("", "Not a court order"), *Licence.CourtGround.choices],
    )
    notice_served_on = GovDateField(
        label="Date the notice to remedy or the abandonment notices were served", required=False
    )
    court_order_on = GovDateField(label="Date of the court order", required=False)
    court_order_scan = DocumentField(
        label="Scan of the court order (PDF, JPEG or PNG, up to 10 MB)", required=False
    )
    end_date = GovDateField(label="End date", plausible=TENANCY)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    # A tenancy's reasons (a home): the tenant's notice to quit, a possession order, a death
    # with nobody succeeding, a mutual exchange.
    TENANCY_REASONS = [
        (Licence.EndReason.NOTICE_TO_QUIT, "The tenant gave at least 4 weeks' notice to quit"),
        (Licence.EndReason.POSSESSION_ORDER, "A court made a possession order"),
        (Licence.EndReason.DEATH, "The tenant died and nobody is succeeding"),
        (Licence.EndReason.MUTUAL_EXCHANGE, "A mutual exchange the council agreed"),
    ]

    def __init__(self, *args, licence: Licence | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if licence is not None and licence.is_tenancy:
            self._tenancy_fields()
            return
        self.fields["end_date"].help_text = "The first day the licence no longer runs."
        self.fields["notice_given_on"].help_text = "Only when the licence holder gave notice."
        self.fields[
            "notice_served_on"
        ].help_text = "For a breach not remedied, or suspected abandonment."
        self.helper = form_helper(
            Field.radios("reason", legend_size=Size.SMALL),
            Field("notice_given_on"),
            Fieldset(
                Field.select("court_ground"),
                Field("notice_served_on"),
                Field("court_order_on"),
                Field("court_order_scan"),
                legend="If a court ordered it",
                legend_size=Size.SMALL,
            ),
            Field("end_date"),
            Field.textarea("notes", rows=3),
            submit="End licence",
        )

    def _tenancy_fields(self) -> None:
        self.fields["reason"].label = "Why is the tenancy ending?"
        self.fields["reason"].choices = self.TENANCY_REASONS
        self.fields["reason"].error_messages["required"] = "Select why the tenancy is ending"
        self.fields["notice_given_on"].label = "Date the notice to quit was given"
        self.fields["notice_given_on"].help_text = "Only when the tenant gave notice."
        self.fields["court_order_on"].label = "Date of the possession order"
        self.fields[
            "court_order_scan"
        ].label = "Scan of the possession order (PDF, JPEG or PNG, up to 10 MB)"
        self.fields["end_date"].help_text = "The first day the tenancy no longer runs."
        del self.fields["court_ground"]
        del self.fields["notice_served_on"]
        self.helper = form_helper(
            Field.radios("reason", legend_size=Size.SMALL),
            Field("notice_given_on"),
            Fieldset(
                Field("court_order_on"),
                Field("court_order_scan"),
                legend="If a court made a possession order",
                legend_size=Size.SMALL,
            ),
            Field("end_date"),
            Field.textarea("notes", rows=3),
            submit="End tenancy",
        )


class ConsentForm(Form):
    consented_on = GovDateField(label="Date the licence holder consented in writing")
    scan = DocumentField(label="Scan of the signed consent (PDF, JPEG or PNG, up to 10 MB)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("consented_on"), Field("scan"), submit="Record consent")


class SuccessionForm(Form):
    # Asked only where the licence is held jointly: a sole holder is the one who died.
    holder_died = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Which licence holder died",
        empty_label="Choose a licence holder",
        error_messages={"required": "Select which licence holder died"},
    )
    successor = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who succeeds",
        empty_label="Choose a person",
        error_messages={"required": "Select who succeeds"},
    )
    relationship = forms.ChoiceField(
        label="Their relationship to the licence holder who died",
        choices=SUCCESSOR_RELATIONSHIPS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their relationship"},
    )
    died_on = GovDateField(label="Date of death")
    evidence = DocumentField(label="Evidence (for example the death certificate)")

    def __init__(self, *args, licence=None, **kwargs):
        super().__init__(*args, **kwargs)
        holders = Person.objects.none()
        if licence is not None:
            self.fields["successor"].queryset = Person.objects.filter(
                licence_roles__licence=licence, licence_roles__to_date__isnull=True
            ).distinct()
            holders = Person.objects.filter(
                licence_roles__licence=licence,
                licence_roles__to_date__isnull=True,
                licence_roles__role=LicenceOccupant.Role.HOLDER,
            ).distinct()
        joint = holders.count() > 1
        if joint:
            self.fields["holder_died"].queryset = holders
        else:
            del self.fields["holder_died"]
            # Nobody holds a sole holder's licence jointly with them.
            self.fields["relationship"].choices = [
                choice for choice in SUCCESSOR_RELATIONSHIPS if choice[0] != SUCCESSOR_JOINT
            ]
        self.helper = form_helper(
            *([Field.select("holder_died")] if joint else []),
            Field.select("successor"),
            Field.radios("relationship", legend_size=Size.SMALL),
            Field("died_on"),
            Field("evidence"),
            submit="Record the succession",
        )


class OccupantAddForm(Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        empty_label="Choose a person",
        error_messages={"required": "Select the person"},
    )
    from_date = GovDateField(label="Authorised from", plausible=TENANCY)

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person"].queryset = household.people.all()
        self.helper = form_helper(
            Field.select("person"), Field("from_date"), submit="Add authorised occupant"
        )


class OccupantEndForm(Form):
    to_date = GovDateField(label="Date they stopped living there", plausible=TENANCY)
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("to_date"), Field.textarea("reason", rows=2), submit="Record as left"
        )


class UnauthorisedOccupantForm(Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter their name"}
    )
    approximate_age = forms.IntegerField(
        label="Approximate age", required=False, min_value=0, max_value=120
    )
    found_on = GovDateField(label="Date found")
    where_found = forms.CharField(
        label="Found during",
        max_length=60,
        help_text="For example: new-resident visit, census 2026.",
        error_messages={"required": "Enter when they were found"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.text("approximate_age", field_width=3),
            Field("found_on"),
            Field.text("where_found"),
            Field.textarea("notes", rows=3),
            submit="Record unauthorised occupant",
        )


class UnauthorisedOccupantUpdateForm(Form):
    status = forms.ChoiceField(
        label="What has happened?",
        choices=[
            (value, label)
            for value, label in UnauthorisedOccupant.Status.choices
            # Open is where it starts; the licence's ending closes it by itself.
            if value
            not in (UnauthorisedOccupant.Status.OPEN, UnauthorisedOccupant.Status.LICENCE_ENDED)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened"},
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("reason", rows=2),
            submit="Save",
        )
