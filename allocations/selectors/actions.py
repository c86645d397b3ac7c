"""The buttons each allocations page offers now, from the record's lifecycle and the person's
permissions (config.kernel.lifecycle.Action): templates loop over them instead of comparing
status strings."""

from django.urls import reverse

from allocations.lifecycles import APPLICATION, OFFER, VACANCY
from allocations.models import Application, Offer, Vacancy
from config.kernel.lifecycle import Action
from residents.models import Licence


def application_actions(application: Application, user, *, assessed: bool) -> list[Action]:
    pk = application.pk
    actions = []
    if application.status == Application.Status.DRAFT and user.has_perm(
        "allocations.change_application"
    ):
        actions.append(
            Action("Submit for validation", reverse("allocations:application-submit", args=[pk]))
        )
    if application.status == Application.Status.SUBMITTED and user.has_perm(
        "allocations.validate_application"
    ):
        url = reverse("allocations:application-validate", args=[pk])
        actions.append(Action("Validate", url, method="get"))
    if application.status == Application.Status.ACTIVE and user.has_perm(
        "allocations.assess_application"
    ):
        url = reverse("allocations:application-assess", args=[pk])
        actions.append(Action("Reassess" if assessed else "Assess", url, method="get"))
    if user.has_perm("allocations.change_priority"):
        url = reverse("allocations:application-dates", args=[pk])
        actions.append(Action("Change dates", url, method="get", style="secondary"))
    if application.scheme == "cbl" and user.has_perm("allocations.change_priority"):
        url = reverse("allocations:effective-date-backdate", args=[pk])
        actions.append(
            Action("Date priority before registration", url, method="get", style="secondary")
        )
    if APPLICATION.allowed(application.status) and user.has_perm("allocations.change_application"):
        url = reverse("allocations:application-status", args=[pk])
        actions.append(Action("Change status", url, method="get", style="secondary"))
    if user.has_perm("allocations.add_evidencedocument"):
        url = reverse("allocations:evidence-upload", args=[pk])
        actions.append(Action("Attach evidence", url, method="get", style="secondary"))
    return actions


def vacancy_actions(vacancy: Vacancy, user, *, live_offer: bool | None = None) -> list[Action]:
    """`live_offer`: whether an offer of it is open or accepted, when the caller has read its
    offers (else asked here)."""
    actions = []
    # A choice-based lettings advert is published into a bidding cycle, never advertised alone.
    if (
        vacancy.scheme != "cbl"
        and VACANCY.can_move(vacancy, Vacancy.Status.ADVERTISED)
        and user.has_perm("allocations.change_vacancy")
    ):
        url = reverse("allocations:vacancy-advertise", args=[vacancy.pk])
        actions.append(Action("Advertise", url))
    can_change = user.has_perm("allocations.change_vacancy")
    if vacancy.scheme == "cbl" and vacancy.status == Vacancy.Status.DRAFT and can_change:
        url = reverse("allocations:advert-publish", args=[vacancy.pk])
        actions.append(Action("Publish into a bidding cycle", url, method="get"))
    if (
        vacancy.scheme == "cbl"
        and can_change
        and vacancy.status
        in (
            Vacancy.Status.DRAFT,
            Vacancy.Status.ADVERTISED,
        )
    ):
        url = reverse("allocations:advert-photo-add", args=[vacancy.pk])
        actions.append(Action("Add a photo", url, method="get", style="secondary"))
    if (
        vacancy.cycle_id
        and vacancy.status == Vacancy.Status.LET
        and can_change
        and not hasattr(vacancy, "let_result")
    ):
        url = reverse("allocations:let-result-publish", args=[vacancy.pk])
        actions.append(Action("Publish the let result", url))
    # A cycle's adverts close with the cycle, never one by one.
    if (
        not vacancy.cycle_id
        and VACANCY.can_move(vacancy, Vacancy.Status.CLOSED)
        and user.has_perm("allocations.freeze_shortlist")
    ):
        url = reverse("allocations:vacancy-freeze", args=[vacancy.pk])
        actions.append(Action("Close and freeze the shortlist", url, method="get", style="warning"))
    can_change = user.has_perm("allocations.change_vacancy")
    if can_change and live_offer is None:
        live_offer = vacancy.offers.filter(status__in=["open", "accepted"]).exists()
    if can_change and VACANCY.can_move(vacancy, Vacancy.Status.WITHDRAWN) and not live_offer:
        url = reverse("allocations:vacancy-withdraw", args=[vacancy.pk])
        actions.append(Action("Withdraw the vacancy", url, method="get", style="secondary"))
    # Only while the agreement is still a draft: once signed, the let went ahead.
    if (
        can_change
        and VACANCY.can_move(vacancy, Vacancy.Status.FELL_THROUGH)
        and Licence.objects.filter(unit_id=vacancy.unit_id, status=Licence.Status.DRAFT).exists()
    ):
        url = reverse("allocations:vacancy-fall-through", args=[vacancy.pk])
        actions.append(
            Action("The household withdrew before signing", url, method="get", style="warning")
        )
    return actions


def offer_actions(offer: Offer, user, *, can_propose: bool) -> list[Action]:
    actions = []
    if OFFER.can_move(offer, Offer.Status.ACCEPTED) and user.has_perm("allocations.change_offer"):
        url = reverse("allocations:offer-reply", args=[offer.pk])
        actions.append(Action("Record the reply", url, method="get"))
    if can_propose and user.has_perm("allocations.add_allocationdecision"):
        url = reverse("allocations:decision-propose", args=[offer.pk])
        actions.append(Action("Propose the allocation", url, method="get"))
    if OFFER.can_move(offer, Offer.Status.WITHDRAWN) and user.has_perm("allocations.change_offer"):
        url = reverse("allocations:offer-withdraw", args=[offer.pk])
        actions.append(Action("Withdraw the offer", url, method="get", style="warning"))
    return actions
