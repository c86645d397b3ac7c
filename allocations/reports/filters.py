"""The reports' filters (a GET form: bad input is an error on the page, never a 500) and the
dimensions they filter on, defined once for every report."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from allocations.models import Scheme, Vacancy
from config.forms import Form, GovDateField
from sites.models import RegisteredProvider, Site

# The council's own homes and pitches have no landlord recorded on the advert; a registered
# provider's home is the provider's (its unit names it).
COUNCIL = "Council"
LONGEST_RANGE_DAYS = 366 * 10  # a month axis of at most ten years


def landlord_of(vacancy_path: str):
    """The landlord of a let as a name: the registered provider that owns the home, else the
    advert's landlord, else "Council"."""
    return Coalesce(
        F(f"{vacancy_path}unit__provider__name"),
        NullIf(F(f"{vacancy_path}landlord"), Value("")),
        Value(COUNCIL),
        output_field=CharField(),
    )


def area_of(vacancy_path: str):
    """The area of a let: the advert's area, or its site's town (as adverts default it)."""
    return Coalesce(
        NullIf(F(f"{vacancy_path}area"), Value("")),
        F(f"{vacancy_path}unit__site__town"),
        output_field=CharField(),
    )


def default_range(today: date) -> tuple[date, date]:
    """The last twelve months: from the first of the month eleven months ago to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    scheme: str = ""
    area: str = ""
    landlord: str = ""

    def lets_q(self, vacancy_path: str) -> Q:
        """The scheme, area and landlord conditions on a let's vacancy."""
        q = Q()
        if self.scheme:
            q &= Q(**{f"{vacancy_path}scheme": self.scheme})
        if self.area:
            q &= Q(**{f"{vacancy_path}area__iexact": self.area}) | (
                Q(**{f"{vacancy_path}area": ""})
                & Q(**{f"{vacancy_path}unit__site__town__iexact": self.area})
            )
        # As landlord_of names them: a registered provider's home is the provider's whatever
        # its advert says, so it is never the council's.
        own = Q(**{f"{vacancy_path}unit__provider__isnull": True})
        if self.landlord == COUNCIL:
            q &= own & Q(**{f"{vacancy_path}landlord": ""})
        elif self.landlord:
            q &= Q(**{f"{vacancy_path}unit__provider__name__iexact": self.landlord}) | (
                own & Q(**{f"{vacancy_path}landlord__iexact": self.landlord})
            )
        return q

    def describe(self) -> str:
        """The filters in words, for the page and the top of a download."""
        words = [f"{self.date_from:%-d %B %Y} to {self.date_to:%-d %B %Y}"]
        if self.scheme:
            words.append(Scheme(self.scheme).label)
        if self.area:
            words.append(f"area {self.area}")
        if self.landlord:
            words.append(f"landlord {self.landlord}")
        return ", ".join(words)


def choices_areas_landlords() -> tuple[list[str], list[str]]:
    """Every area and landlord a let can have, in one query."""
    towns = Site.objects.annotate(choice_kind=Value("area"), choice_name=F("town")).values_list(
        "choice_kind", "choice_name"
    )
    areas = (
        Vacancy.objects.exclude(area="")
        .annotate(choice_kind=Value("area"), choice_name=F("area"))
        .values_list("choice_kind", "choice_name")
    )
    landlords = (
        Vacancy.objects.exclude(landlord="")
        .annotate(choice_kind=Value("landlord"), choice_name=F("landlord"))
        .values_list("choice_kind", "choice_name")
    )
    providers = RegisteredProvider.objects.annotate(
        choice_kind=Value("landlord"), choice_name=F("name")
    ).values_list("choice_kind", "choice_name")
    found: dict[str, set[str]] = {"area": set(), "landlord": set()}
    for kind, name in towns.union(areas, landlords, providers):
        found[kind].add(name.strip())
    return sorted(found["area"] - {""}, key=str.lower), [
        COUNCIL,
        *sorted(found["landlord"] - {"", COUNCIL}, key=str.lower),
    ]


class ReportFilterForm(Form):
    date_from = GovDateField(label="From", required=False)
    date_to = GovDateField(label="To", required=False)
    scheme = forms.ChoiceField(
        label="Scheme", required=False, choices=[("", "Both schemes"), *Scheme.choices]
    )
    area = forms.ChoiceField(label="Area", required=False)
    landlord = forms.ChoiceField(label="Landlord", required=False)

    def __init__(self, *args, uses: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("scheme", "area", "landlord"):
            if name not in uses:
                del self.fields[name]
        if "area" in uses or "landlord" in uses:
            areas, landlords = choices_areas_landlords()
            if "area" in uses:
                self.fields["area"].choices = [("", "All areas"), *((a, a) for a in areas)]
            if "landlord" in uses:
                self.fields["landlord"].choices = [
                    ("", "All landlords"),
                    *((name, name) for name in landlords),
                ]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and not date_to:
            # The 'to' date is today when none is given: the same ten-year limit holds.
            today = timezone.localdate()
            if date_from > today:
                self.add_error("date_from", "The ‘from’ date must be today or in the past")
            elif (today - date_from).days > LONGEST_RANGE_DAYS:
                self.add_error(
                    "date_from",
                    "Choose a ‘from’ date no more than 10 years before the ‘to’ date "
                    "(today, when none is given)",
                )
        if date_from and date_to:
            if date_to < date_from:
                self.add_error(
                    "date_to", "The ‘to’ date must be the same as or after the ‘from’ date"
                )
            elif (date_to - date_from).days > LONGEST_RANGE_DAYS:
                self.add_error("date_to", "Choose dates no more than 10 years apart")
        return cleaned

    def filters(self) -> Filters:
        """The filters to apply: the form's, or the last twelve months when no dates given."""
        start, end = default_range(timezone.localdate())
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        date_to = data.get("date_to") or end
        date_from = data.get("date_from") or (
            start if date_to == end else date_to - timedelta(days=365)
        )
        return Filters(
            date_from=date_from,
            date_to=date_to,
            scheme=data.get("scheme", ""),
            area=data.get("area", ""),
            landlord=data.get("landlord", ""),
        )
