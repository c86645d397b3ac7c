"""Policy pages: versions and publishing."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from allocations import selectors, services
from allocations.forms.policies import PolicyPublishForm
from allocations.models import (
    PolicyVersion,
)
from allocations.views.common import run_form
from config.forms import posted_data
from config.pages import form_page

# --- Policies --------------------------------------------------------------------------------


@permission_required("allocations.view_policyversion", raise_exception=True)
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "allocations/policy_list.html", {"versions": list(selectors.policy_versions())}
    )


@permission_required("allocations.view_policyversion", raise_exception=True)
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(selectors.policy_versions_with_publisher(), pk=pk)
    return render(
        request,
        "allocations/policy_detail.html",
        {"version": version, "rules_json": json.dumps(version.rules, indent=2)},
    )


@permission_required("allocations.publish_policyversion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version of a scheme's policy, starting from the version given."""
    base = get_object_or_404(PolicyVersion, pk=pk)
    form = PolicyPublishForm(
        posted_data(request), initial={"name": base.name, "rules": json.dumps(base.rules, indent=2)}
    )
    if request.method == "POST" and form.is_valid():
        version = run_form(
            form,
            lambda: services.policy_publish(
                scheme=base.scheme,
                name=form.cleaned_data["name"],
                effective_from=form.cleaned_data["effective_from"],
                policy_rules=form.cleaned_data["rules"],
                summary_of_changes=form.cleaned_data["summary_of_changes"],
                by=request.user,
            ),
        )
        if version:
            messages.success(request, f"{version} was published.")
            return redirect(version)
    return form_page(
        request,
        form,
        title=f"Publish a new version of {base.name}",
        back_url=reverse("allocations:policy-list"),
        intro="Published versions never change: this one will be kept beside the others.",
    )
