"""Forms for low-cost home ownership resales: the seller's notice with the agreement's terms,
the valuation, a nomination, a withdrawal, the release; a purchaser on the register."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from allocations.forms.common import form_helper
from allocations.models import Purchaser, ResaleCase
from allocations.rules import resales as rules
from config.forms import Form, GovDateField, PoundsField


class ResaleNoticeForm(Form):
    product = forms.ChoiceField(
        label="Product",
        choices=ResaleCase.Product.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the product"},
    )
    address = forms.CharField(label="Address of the home", max_length=300)
    seller_name = forms.CharField(label="Seller", max_length=200)
    notice_on = GovDateField(label="Date the seller's notice was received")
    discount_percent = forms.DecimalField(
        label="Discount (%)",
        help_text="From the planning agreement. 0 for shared ownership sold at its share's value.",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={
            "required": "Enter the discount, or 0",
            "invalid": "The discount must be a number, like 30",
            "min_value": "The discount must be 0%% or more",
            "max_value": "The discount must be 100%% or less",
        },
    )
    local_connection_parish = forms.CharField(
        label="Local connection the agreement asks for (parish)",
        help_text="Leave blank if the agreement asks for none.",
        max_length=120,
        required=False,
    )
    income_cap = PoundsField(label="Household income cap (£)", required=False)
    first_time_buyers_only = forms.BooleanField(label="First-time buyers only", required=False)
    price_cap = PoundsField(
        label="Price cap after the discount (£)",
        required=False,
        help_text="First Homes only: for example 250000.",
    )
    window_weeks = forms.IntegerField(
        label="Nomination window (weeks)",
        initial=rules.DEFAULT_WINDOW_WEEKS,
        min_value=1,
        max_value=52,
        error_messages={
            "required": "Enter the nomination window in weeks",
            "invalid": "The nomination window must be a whole number of weeks, like 8",
            "min_value": "The nomination window must be at least 1 week",
            "max_value": "The nomination window must be 52 weeks or less",
        },
    )
    valuation_valid_weeks = forms.IntegerField(
        label="A valuation is valid for (weeks)",
        initial=rules.DEFAULT_VALUATION_WEEKS,
        min_value=1,
        max_value=52,
        error_messages={
            "required": "Enter how many weeks a valuation is valid for",
            "invalid": "Enter a whole number of weeks, like 12",
            "min_value": "A valuation must be valid for at least 1 week",
            "max_value": "Enter 52 weeks or less",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].error_messages["required"] = "Enter the address of the home"
        self.fields["seller_name"].error_messages["required"] = "Enter the seller's name"
        self.helper = form_helper(
            Field.radios("product", legend_size=Size.SMALL),
            Field.text("address"),
            Field.text("seller_name"),
            Field("notice_on"),
            Field.text("discount_percent", field_width=4),
            Field.text("local_connection_parish", field_width=20),
            Field.text("income_cap", field_width=10),
            Field.checkbox("first_time_buyers_only"),
            Field.text("price_cap", field_width=10),
            Field.text("window_weeks", field_width=3),
            Field.text("valuation_valid_weeks", field_width=3),
            submit="Open the resale case",
        )


class ResaleValuationForm(Form):
    amount = PoundsField(label="Open-market valuation (£)")
    valued_on = GovDateField(label="Date of the valuation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("amount", field_width=10), Field("valued_on"), submit="Record the valuation"
        )


class ResaleNominateForm(Form):
    purchaser = forms.ModelChoiceField(
        label="Buyer from the register",
        queryset=Purchaser.objects.order_by("name"),
        error_messages={
            "required": "Choose the buyer to nominate",
            "invalid_choice": "Choose a buyer from the register",
        },
    )
    on = GovDateField(label="Date of the nomination")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.select("purchaser"), Field("on"), submit="Nominate the buyer"
        )


class ResaleNotEligibleForm(Form):
    purchaser = forms.ModelChoiceField(
        label="Buyer from the register who is not eligible",
        queryset=Purchaser.objects.order_by("name"),
        error_messages={
            "required": "Choose the buyer to tell",
            "invalid_choice": "Choose a buyer from the register",
        },
    )
    on = GovDateField(label="Date they asked about this home")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("purchaser"), Field("on"), submit="Send the letter")


class ResaleProceedForm(Form):
    on = GovDateField(label="Date the buyer said they are proceeding")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("on"), submit="Record the buyer proceeding")


class ResaleWithdrawForm(Form):
    on = GovDateField(label="Date the buyer withdrew")
    reason = forms.CharField(
        label="Why the buyer withdrew",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why the buyer withdrew"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("on"), Field.textarea("reason", rows=3), submit="Record the withdrawal"
        )


class ResaleDateForm(Form):
    on = GovDateField(label="Date")

    def __init__(self, *args, label: str = "Date", submit: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].error_messages["required"] = f"Enter the {label.lower()}"
        self.helper = form_helper(Field("on"), submit=submit)


class PurchaserForm(Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the purchaser's name"}
    )
    household_income = PoundsField(label="Household income a year (£)")
    local_connection = forms.BooleanField(label="Has a local connection", required=False)
    parish = forms.CharField(label="Parish of the local connection", max_length=120, required=False)
    first_time_buyer = forms.BooleanField(label="First-time buyer", required=False)
    address = forms.CharField(
        label="Postal address",
        help_text="Where their letters are posted. Leave it empty to hand letters over.",
        widget=forms.Textarea,
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, submit: str = "Add to the register", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.text("household_income", field_width=10),
            Field.checkbox("local_connection"),
            Field.text("parish", field_width=20),
            Field.checkbox("first_time_buyer"),
            Field.textarea("address", rows=4),
            submit=submit,
        )
