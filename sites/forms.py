from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from config.forms import Form, GovDateField, ModelForm, ReasonField, SaveButton
from config.kernel.postcodes import postcode_normalise
from sites.models import Site, Unit
from sites.selectors import unit_kind_fixed_by


class SiteSearchForm(Form):
    q = forms.CharField(label="Search by name, reference, town or postcode", required=False)
    kind = forms.ChoiceField(
        label="Type of site", required=False, choices=[("", "Any type"), *Site.Kind.choices]
    )


class VoidFilterForm(Form):
    site = forms.ModelChoiceField(
        label="Site", required=False, queryset=Site.objects.order_by("name"), empty_label="Any site"
    )
    reason = forms.ChoiceField(
        label="Why void", required=False, choices=[("", "Any reason"), *Unit.VoidReason.choices]
    )
    advertised = forms.ChoiceField(
        label="Letting",
        required=False,
        choices=[
            ("", "Any"),
            ("no", "Not advertised"),
            ("yes", "Advertised or under offer"),
            ("allocated", "Allocated, agreement being prepared"),
        ],
    )
    ready = forms.ChoiceField(
        label="Ready to let",
        required=False,
        choices=[("", "Any"), ("yes", "Ready to let"), ("no", "Not ready yet")],
    )


class SiteForm(ModelForm):
    opened_on = GovDateField(label="Date opened", required=False)

    class Meta:
        model = Site
        fields = [
            "name",
            "reference",
            "kind",
            "status",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "parish",
            "opened_on",
            "notes",
        ]
        error_messages = {
            "name": {
                "required": "Enter the site's name",
                "unique": Site.NAME_TAKEN,
            },
            "reference": {
                "required": "Enter the site's reference",
                "unique": Site.REFERENCE_TAKEN,
            },
            "kind": {"required": "Select the type of site"},
            "status": {"required": "Select the site's status"},
            "address_line_1": {"required": "Enter the first line of the address"},
            "town": {"required": "Enter the town or city"},
            "postcode": {"required": "Enter the postcode"},
        }

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = ReasonField()
        # Radios offer only real answers: no blank "---------" option.
        self.fields["kind"].choices = Site.Kind.choices
        self.fields["kind"].widget = forms.RadioSelect(choices=Site.Kind.choices)
        self.fields["status"].choices = Site.Status.choices
        self.fields["status"].widget = forms.RadioSelect(choices=Site.Status.choices)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("reference", field_width=10),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Field.text("parish", field_width=20),
            Field("opened_on"),
            Field.textarea("notes", rows=3),
            *([Field.text("reason")] if with_reason else []),
            SaveButton("save", "Save site"),
        )

    def clean_postcode(self):
        # People type postcodes in any case and spacing; the record keeps one form.
        return postcode_normalise(self.cleaned_data["postcode"])

    def _post_clean(self):
        if "postcode" in self.cleaned_data:
            self.cleaned_data["postcode"] = postcode_normalise(self.cleaned_data["postcode"])
        super()._post_clean()


class UnitForm(ModelForm):
    void_date = GovDateField(label="Void date", required=False)
    ready_to_let_date = GovDateField(label="Ready-to-let date", required=False)
    major_repairs_date = GovDateField(
        label="Major repairs completed on",
        required=False,
        help_text="Only if major repairs were done while the home was empty (CORE asks).",
    )

    class Meta:
        model = Unit
        fields = [
            "reference",
            "kind",
            "status",
            "weekly_charge",
            "has_amenity_block",
            "amenity_block_condition",
            "has_electricity_meter",
            "has_water_meter",
            "has_gas_meter",
            "max_caravans",
            "bedrooms",
            "floor_level",
            "accessibility",
            "adaptations",
            "extra_care",
            "provider",
            "service_charge",
            "void_date",
            "ready_to_let_date",
            "void_reason",
            "major_repairs_date",
            "notes",
        ]
        error_messages = {
            "reference": {"required": "Enter the unit's reference"},
            "kind": {"required": "Select whether this is a pitch, a transit pitch or a home"},
            "status": {"required": "Select the unit's status"},
            "weekly_charge": {
                "required": "Enter the weekly pitch fee or rent",
                "invalid": "Weekly pitch fee or rent must be an amount of money, like 85.50",
                "min_value": "Weekly pitch fee or rent cannot be negative",
            },
            "service_charge": {
                "invalid": "Weekly service charges must be an amount of money, like 4.20",
                "min_value": "Weekly service charges cannot be negative",
            },
            "bedrooms": {"invalid": "Bedrooms must be a whole number, like 2"},
            "max_caravans": {"invalid": "Most caravans allowed must be a whole number, like 2"},
        }

    def clean_service_charge(self):
        return self.cleaned_data.get("service_charge") or Decimal("0")

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = ReasonField()
        self.fields["kind"].choices = Unit.Kind.choices
        # Most homes have none and pitches never do: blank is none.
        self.fields["service_charge"].required = False
        self.fields["kind"].widget = forms.RadioSelect(choices=Unit.Kind.choices)
        if self.instance.pk and (fixed_by := unit_kind_fixed_by(self.instance)):
            # Told here; the service refuses the change in the same words.
            self.fields["kind"].help_text = f"{fixed_by}."
        # The letting states (advertised, under offer, allocated) are moved by the letting
        # steps; by hand a unit is only void, occupied or not available to let.
        if self.instance.pk and self.instance.status in Unit.LETTING_STATES:
            statuses = [c for c in Unit.Status.choices if c[0] == self.instance.status]
            self.fields["status"].disabled = True
            self.fields[
                "status"
            ].help_text = "Being let: the vacancy, offer, decision and agreement move this."
        else:
            statuses = [c for c in Unit.Status.choices if c[0] not in Unit.LETTING_STATES]
        self.fields["status"].choices = statuses
        self.fields["status"].widget = forms.RadioSelect(choices=statuses)
        # GOV.UK asks for text inputs with a numeric keyboard, not type="number".
        for name, mode in (
            ("weekly_charge", "decimal"),
            ("service_charge", "decimal"),
            ("max_caravans", "numeric"),
            ("bedrooms", "numeric"),
            ("floor_level", "numeric"),
        ):
            self.fields[name].widget = forms.TextInput(
                attrs={"inputmode": mode, "spellcheck": "false", "class": "govuk-input"}
            )
        self.fields["amenity_block_condition"].choices = [
            ("", "Not applicable"),
            *Unit.Condition.choices,
        ]
        self.fields["accessibility"].choices = [("", "Not recorded"), *Unit.Accessibility.choices]
        # The old "court order" reason is not offered: CORE needs to know what it was for.
        self.fields["void_reason"].choices = [
            ("", "Not void"),
            *(c for c in Unit.VoidReason.choices if c[0] != Unit.VoidReason.EVICTION),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Field.text("reference", field_width=20),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.radios("status", legend_size=Size.SMALL),
            Field.text("weekly_charge", field_width=5),
            Fieldset(
                Field.checkbox("has_amenity_block"),
                Field.select("amenity_block_condition"),
                Field.checkbox("has_electricity_meter"),
                Field.checkbox("has_water_meter"),
                Field.checkbox("has_gas_meter"),
                Field.text("max_caravans", field_width=3),
                legend="Pitches only",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("bedrooms", field_width=3),
                Field.text("floor_level", field_width=3),
                Field.select("accessibility"),
                Field.textarea("adaptations", rows=2),
                Field.checkbox("extra_care"),
                Field.text("service_charge", field_width=5),
                legend="Homes only",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("void_date"),
                Field("ready_to_let_date"),
                Field.select("void_reason"),
                Field("major_repairs_date"),
                legend="If the unit is void",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("notes", rows=3),
            *([Field.text("reason")] if with_reason else []),
            SaveButton("save", "Save unit"),
        )
