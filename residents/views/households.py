import secrets
from datetime import date
from operator import attrgetter
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods

from config import changelog
from config.forms import posted_data, service_errors_add
from config.kernel.paging import CappedPaginator
from residents import selectors, services
from residents.forms.households import (
    DUPLICATE_CONFIRMATION,
    HouseholdCreateForm,
    HouseholdForm,
    HouseholdSearchForm,
    PersonForm,
    SpecialCategoryViewFilterForm,
)
from residents.models import Household, Person
from residents.search import household_matches

PAGE_SIZE = 25
VIEW_LOG_PAGE_SIZE = 50
SPECIAL_CATEGORY_PERMISSION = "config.view_special_category"
# Searches live in the session, under keys that mean nothing, so that no name or date of birth
# ever sits in a URL (and so in browser history, proxy logs or a Referer header).
SEARCHES_SESSION_KEY = "residents_household_searches"
SEARCHES_KEPT = 10
DUPLICATES_SESSION_KEY = "residents_duplicates_shown"


def _search_save(request: HttpRequest, criteria: dict) -> str:
    searches = request.session.get(SEARCHES_SESSION_KEY, {})
    key = secrets.token_urlsafe(12)
    searches[key] = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in criteria.items()
        if value
    }
    # The oldest searches go, so the session stays small.
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def _search_load(request: HttpRequest, key: str) -> dict | None:
    stored = request.session.get(SEARCHES_SESSION_KEY, {}).get(key)
    if stored is None:
        return None
    criteria = dict(stored)
    if criteria.get("date_of_birth"):
        criteria["date_of_birth"] = date.fromisoformat(criteria["date_of_birth"])
    return criteria


def search_page(criteria: dict, number: str | int | None) -> Page:
    """One page of the register or of a search, with a count capped at 1,000 (the list's
    work, which `benchmark_all` times at county × 1 and × 10): not asked again when the
    search has already found how many households match."""
    households, known = household_matches(**criteria)
    return CappedPaginator(households, PAGE_SIZE, known=known).get_page(number)


@permission_required("residents.view_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_list(request: HttpRequest) -> HttpResponse:
    """The register, and search by Post/Redirect/Get: the POST changes no records."""
    if request.method == "POST":
        form = HouseholdSearchForm(request.POST)
        if form.is_valid():
            key = _search_save(request, form.cleaned_data)
            return redirect(f"{reverse('residents:household-list')}?{urlencode({'search': key})}")
        return render(
            request, "residents/household_list.html", {"form": form, "page_obj": None}, status=400
        )
    key = request.GET.get("search", "")
    criteria = _search_load(request, key) if key else {}
    form = HouseholdSearchForm(initial=criteria or {})
    page_obj = search_page(criteria or {}, request.GET.get("page"))
    return render(
        request,
        "residents/household_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "searching": bool(criteria),
            "search_expired": bool(key) and criteria is None,
        },
    )


@permission_required("residents.view_household", raise_exception=True)
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(selectors.household_get_queryset(), pk=pk)
    people = list(
        selectors.household_people(household=household).annotate(
            # Each one's place by surname and first name (Person.Meta's order, in the
            # database's collation): the subject-access panel lists them so, asking nothing.
            name_order=Window(RowNumber(), order_by=[F("last_name").asc(), F("first_name").asc()])
        )
    )
    show_special = request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    if show_special and people:
        # The page's opening and its special-category showing, logged in one statement.
        services.special_category_views_record(
            people=people,
            user=request.user,
            fields=Person.SPECIAL_CATEGORY_FIELDS,
            where="household",
            with_insert=changelog.record_viewed_insert(user=request.user, record=household),
        )
    else:
        changelog.record_viewed(user=request.user, record=household)
    return render(
        request,
        "residents/household_detail.html",
        {
            "household": household,
            # Named from its people, already read (no query more for the heading).
            "household_named": next(
                (
                    f"{p} ({household.reference})"
                    for p in people
                    if p.relationship == Person.Relationship.LEAD
                ),
                household.reference,
            ),
            "people": people,
            "people_by_name": sorted(people, key=attrgetter("name_order")),
            "show_special": show_special,
            "has_lead": any(p.relationship == Person.Relationship.LEAD for p in people),
            "licences": (
                selectors.household_licences(household=household)
                if request.user.has_perm("residents.view_licence")
                else []
            ),
        },
    )


def _duplicates_remember(request: HttpRequest, form_key: str, people: list[Person]) -> None:
    shown = request.session.get(DUPLICATES_SESSION_KEY, {})
    shown[form_key] = [person.pk for person in people]
    request.session[DUPLICATES_SESSION_KEY] = shown


def _duplicates_shown(request: HttpRequest, form_key: str) -> list[int]:
    return request.session.get(DUPLICATES_SESSION_KEY, {}).get(form_key, [])


def _duplicates_forget(request: HttpRequest, form_key: str) -> None:
    shown = request.session.get(DUPLICATES_SESSION_KEY, {})
    if shown.pop(form_key, None) is not None:
        request.session[DUPLICATES_SESSION_KEY] = shown


def _save_with_duplicate_check(request: HttpRequest, *, form, form_key: str, save):
    """Validate, save, or ask the officer to look at people who may already be recorded.

    The tick box confirms only the people that were on the page: someone else found on the
    next try is asked about again.
    """
    duplicates: list[Person] = []
    if request.method == "POST":
        if DUPLICATE_CONFIRMATION in request.POST:
            # Asked before: keep the question (and its tick) while other mistakes are fixed.
            form.duplicate_confirmation_ask()
            duplicates = list(
                selectors.person_get_queryset().filter(pk__in=_duplicates_shown(request, form_key))
            )
        if form.is_valid():
            confirmed = (
                _duplicates_shown(request, form_key) if form.duplicate_confirmation_given() else []
            )
            try:
                record = save(confirmed)
            except services.PossibleDuplicates as error:
                duplicates = error.people
                _duplicates_remember(request, form_key, duplicates)
                form.duplicate_confirmation_ask(error.messages[0])
            except ValidationError as error:
                service_errors_add(form, error)
            else:
                _duplicates_forget(request, form_key)
                return record, duplicates
    return None, duplicates


def _form_page(request, *, form, title: str, back_url: str, duplicates=(), caption: str = ""):
    return render(
        request,
        "residents/record_form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back_url": back_url,
            "duplicates": duplicates,
        },
        status=400 if form.errors else 200,
    )


@permission_required("residents.add_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdCreateForm(
        posted_data(request), show_special=request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    )
    household, duplicates = _save_with_duplicate_check(
        request,
        form=form,
        form_key="household-create",
        save=lambda confirmed: services.household_create(
            by=request.user,
            lead=form.lead_data(),
            not_duplicate_of=confirmed,
            **form.household_data(),
        ),
    )
    if household is not None:
        messages.success(request, f"Household {selectors.household_name(household)} was added.")
        return redirect(household)
    return _form_page(
        request,
        form=form,
        title="Add a household",
        back_url=reverse("residents:household-list"),
        duplicates=duplicates,
    )


@permission_required("residents.change_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    named = selectors.household_name(household)
    form = HouseholdForm(posted_data(request), instance=household, with_reason=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            household = services.household_update(
                household=household, by=request.user, reason=reason, **data
            )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            messages.success(
                request,
                f"Your changes to household {selectors.household_name(household)} were saved.",
            )
            return redirect(household)
    return _form_page(
        request,
        form=form,
        title=f"Change household {named}",
        back_url=reverse("residents:household-detail", args=[pk]),
    )


@permission_required("residents.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=household_pk)
    form = PersonForm(
        posted_data(request),
        household=household,
        show_special=request.user.has_perm(SPECIAL_CATEGORY_PERMISSION),
    )
    person, duplicates = _save_with_duplicate_check(
        request,
        form=form,
        form_key=f"person-create-{household.pk}",
        save=lambda confirmed: services.person_add(
            household=household, by=request.user, not_duplicate_of=confirmed, **form.person_data()
        ),
    )
    if person is not None:
        messages.success(
            request, f"{person} was added to household {selectors.household_name(household)}."
        )
        return redirect(household)
    return _form_page(
        request,
        form=form,
        title="Add a person",
        caption=f"Household {selectors.household_name(household)}",
        back_url=household.get_absolute_url(),
        duplicates=duplicates,
    )


@permission_required("residents.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.person_get_queryset(), pk=pk)
    name, household = str(person), person.household
    show_special = request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)
    form = PersonForm(
        posted_data(request),
        instance=person,
        household=household,
        show_special=show_special,
        with_reason=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        try:
            person = services.person_update(
                person=person, by=request.user, reason=form.cleaned_data["reason"], **data
            )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            messages.success(request, f"Your changes to {person} were saved.")
            return redirect(household)
    if show_special:
        services.special_category_views_record(
            people=[person],
            user=request.user,
            fields=Person.SPECIAL_CATEGORY_FIELDS,
            where="person-edit",
        )
    return _form_page(
        request,
        form=form,
        title=f"Change {name}",
        caption=f"Household {selectors.household_name(household)}",
        back_url=household.get_absolute_url(),
    )


# Where a showing was logged, in words (the log stores a short code for the page).
PAGE_WORDS = {
    "household": "Household page",
    "person-edit": "Changing a person's details",
    "history": "Change history",
    "admin-record": "Admin: the record",
    "admin-history": "Admin: change history",
    "admin-history-version": "Admin: a past version",
    "application": "Application page",
    "evidence-download": "Evidence downloaded",
    "check": "Due-diligence check",
    "communications": "Communications log",
}


def _special_field_labels() -> dict[str, str]:
    """Every special-category field's name, as its pages label it ("Health and disability
    notes", not health_notes); a person's own fields first where names are shared."""
    labels: dict[str, str] = {}
    for model in [Person, *apps.get_models()]:
        for name in sorted(getattr(model, "SPECIAL_CATEGORY_FIELDS", ())):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            labels.setdefault(name, capfirst(str(field.verbose_name)))
    return labels


def _field_words(logged: str, labels: dict[str, str]) -> str:
    """A logged field in words: "health_notes" as its label, "check:outcome" (a field of
    another record than the person) as "Check: outcome"."""
    record, _, name = logged.rpartition(":")
    label = labels.get(name, name.replace("_", " "))
    return f"{capfirst(record)}: {label.lower()}" if record else capfirst(label)


@permission_required("residents.view_specialcategoryview", raise_exception=True)
@require_GET
def special_category_views(request: HttpRequest) -> HttpResponse:
    """For auditors: who has been shown special-category data, of whom, when and where."""
    form = SpecialCategoryViewFilterForm(request.GET or None)
    views = selectors.special_category_view_list(**form.filters())
    page_obj = Paginator(views, VIEW_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _special_field_labels()
    rows = [
        {
            "view": view,
            "fields": [_field_words(name, labels) for name in view.fields],
            "page": PAGE_WORDS.get(view.where) or capfirst(view.where.replace("-", " ")),
        }
        for view in page_obj.object_list
    ]
    return render(
        request,
        "residents/special_category_views.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "filtered": any(form.filters().values()),
        },
    )


@permission_required("residents.view_household", raise_exception=True)
@require_GET
def household_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's history with its people's: every change newest first, from the change
    log (special-category values withheld; each person's own History page shows them to the
    roles allowed)."""
    household = get_object_or_404(selectors.household_get_queryset(), pk=pk)
    people = Person.objects.filter(household=household).values_list("pk", flat=True)
    entries = changelog.timeline(
        {"residents.household": [household.pk], "residents.person": list(people)}
    )
    for entry in entries:
        entry.subject = (
            f"Person: {entry.label}" if entry.record_type == "residents.person" else "Household"
        )
    return render(
        request,
        "history.html",
        {"record": household, "entries": entries, "verbose_name": "household and its people"},
    )
