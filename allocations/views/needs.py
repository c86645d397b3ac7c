"""What a household needs from a home, recorded by officers: its access category with the
occupational therapist's or medical assessment behind it (from the application page), and a
group the lettings policy exempts from the local connection test (from the household's Bids
page, beside its connections).

The assessment is health data (`Application.SPECIAL_CATEGORY_FIELDS`): shown only to roles
with `config.view_special_category`, and each showing is logged. Some exempt groups are
sensitive (people fleeing violence): the group is shown only where the household's
connections are (`allocations.view_bid`)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocations import rules, selectors, services
from allocations.forms.needs import AccessNeedsForm, ConnectionExemptionForm
from allocations.models import Application, PolicyVersion, Scheme
from config.forms import posted_data
from config.pages import form_page, is_saved, saved_then
from residents.services import special_category_views_record

SPECIAL_CATEGORY = "config.view_special_category"
ASSESSMENT_FIELDS = ["application:access_assessment"]


def access_category_words(application: Application) -> str:
    """The access category in words ("C: step-free or level access", "Not assessed"), as the
    lettings policy in force today names it: from the policy the application's page read in
    its own query (`policy_today`) when there is one, else asked here."""
    if not application.access_category:
        return "Not assessed"
    found = getattr(application, "policy_today", None)
    if found and application.scheme == Scheme.CBL:
        version = PolicyVersion.from_db(None, ["id", "rules"], [found["id"], found["rules"]])
        lettings = version.policy.lettings
    else:
        lettings = _lettings_today() or rules.LettingsRules()
    return lettings.access_words(application.access_category)


def access_assessment_showing_log(
    application: Application, *, user, where: str, people: list | None = None
) -> None:
    """Log that `user` was shown the application's access assessment (`people`: the
    household's, when already read), as its History page logs it."""
    if people is None:
        people = list(application.household.people.all())
    special_category_views_record(people=people, user=user, fields=ASSESSMENT_FIELDS, where=where)


def _lettings_today() -> rules.LettingsRules | None:
    try:
        version = selectors.policy_in_force(scheme=Scheme.CBL, on=timezone.localdate())
    except ValidationError:
        return None
    return version.policy.lettings


def _no_policy(request: HttpRequest) -> None:
    messages.error(
        request,
        "No choice-based lettings policy is in force today: its categories and groups are "
        "the policy's, so nothing can be recorded until one is published.",
    )


@permission_required(["allocations.change_application", SPECIAL_CATEGORY], raise_exception=True)
@require_http_methods(["GET", "POST"])
def access_needs_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's access category and the assessment behind it. Only for roles that
    may read the assessment: the one recorded now is prefilled, to be corrected or replaced."""
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    lettings = _lettings_today()
    if lettings is None:
        _no_policy(request)
        return redirect(application)
    form = AccessNeedsForm(
        posted_data(request),
        initial={
            "category": application.access_category,
            "assessment": application.access_assessment,
        },
        categories=lettings.access_categories,
    )
    now = (
        lettings.access_words(application.access_category)
        if application.access_category
        else "not assessed"
    )
    result = form_page(
        request,
        form,
        title=f"Record access needs for {application}",
        back_url=application.get_absolute_url(),
        intro=f"Now: {now}. Set the category from an occupational therapist's or medical "
        "assessment. An advert lists the categories it suits; a household outside them cannot "
        "bid for it, and an adapted home goes first to those who need its adaptations.",
        save=lambda data: services.access_needs_record(
            application=application,
            category=data["category"],
            assessment=data["assessment"],
            by=request.user,
        ),
    )
    if not is_saved(result) and request.method == "GET" and application.access_assessment:
        # The recorded findings are in the form: a showing of health data, logged.
        access_assessment_showing_log(application, user=request.user, where="record access needs")
    return saved_then(
        request,
        result,
        lambda done: (
            f"{done}: access category {lettings.access_words(done.access_category)} recorded."
        ),
        application,
    )


@permission_required(
    ["allocations.change_application", "allocations.view_bid"], raise_exception=True
)
@require_http_methods(["GET", "POST"])
def connection_exemption(request: HttpRequest, pk: int) -> HttpResponse:
    """A group the policy exempts from the local connection test (armed forces, care leavers,
    people fleeing violence), with the evidence seen; "Not exempt" ends an exemption."""
    application = get_object_or_404(Application.objects.select_related("household"), pk=pk)
    bids_url = reverse("allocations:application-bids", args=[application.pk])
    lettings = _lettings_today()
    if lettings is None:
        _no_policy(request)
        return redirect(bids_url)
    local = lettings.local_connection
    current = application.connection_exempt_group
    form = ConnectionExemptionForm(
        posted_data(request),
        # The group recorded now, chosen; none chosen for a household not exempt (nor for a
        # group the policy no longer names, which is not offered).
        initial={"group": current if local.exempt_label(current) else None},
        groups=local.exempt_groups,
    )
    words = selectors.connection_exemption_words(application)
    result = form_page(
        request,
        form,
        title=f"Record an exemption from the connection test for {application}",
        back_url=bids_url,
        intro=f"Now: {f'exempt as {words}' if words else 'not exempt'}. A household in one of "
        "the policy's exempt groups is tier 1 for every home, whatever its connections. "
        "Record the evidence seen; 'Not exempt' ends an exemption.",
        save=lambda data: services.connection_exemption_record(
            application=application,
            group=form.group_chosen(),
            reason=data["reason"],
            by=request.user,
        ),
    )

    def saved(done: Application) -> str:
        group = done.connection_exempt_group
        if not group:
            return f"{done} is not exempt from the connection test."
        return f"{done} is exempt from the connection test as {local.exempt_label(group)}."

    return saved_then(request, result, saved, bids_url)
