"""Letters to the tenants of an introductory tenancy when its review is recorded (residents
calls INTRODUCTORY_REVIEWED inside its service; allocations keeps letters and their wording):

    extended  -> the notice of extension (Housing Act 1996 s.125A): the new end, every reason,
                 and the right to ask for a review within 14 days, with its date (s.125B)
    confirmed -> the tenancy becomes secure on the day the period ends
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser

from allocations.models import Letter
from allocations.services.letters import letter_request_to
from config.kernel.dates import letter_date
from residents.models import Licence, LicenceOccupant, Person

# s.125B(2): the tenant may ask for a review within 14 days of the notice.
REVIEW_DAYS = 14
EXTENSION_MONTHS = 6


def tenancy_home_address(tenancy: Licence) -> list[str]:
    unit, site = tenancy.unit, tenancy.unit.site
    return [
        line
        for line in (
            unit.reference,
            site.address_line_1,
            site.address_line_2,
            site.town,
            site.postcode,
        )
        if line
    ]


def _reasons(text: str) -> list[str]:
    """The reason as typed, one per line (a list reads better than one long paragraph)."""
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def tenancy_review_letter(*, tenancy: Licence, by: AbstractBaseUser) -> Letter | None:
    """The letter the review owes the tenants (called inside the review's transaction)."""
    tenancy = Licence.objects.select_related("unit__site", "household").get(pk=tenancy.pk)
    tenants = [
        str(named.person)
        for named in tenancy.occupants.select_related("person").filter(
            role=LicenceOccupant.Role.HOLDER, to_date__isnull=True
        )
    ]
    home = ", ".join(tenancy_home_address(tenancy))
    household = tenancy.household
    name = " and ".join(tenants)
    if not name:
        # No tenant named on it now: addressed as an applicant's letter is (documents.
        # letter_context), to the household's lead by name, never by the household's reference.
        lead = household.people.filter(relationship=Person.Relationship.LEAD).first()
        name = str(lead) if lead else "Tenant"
    common = {
        "name": name,
        "address": tenancy_home_address(tenancy),
        "our_reference": tenancy.reference,
        "tenancy": tenancy,
        "by": by,
        "easy_read": household.easy_read,
        "large_print": household.large_print,
        "interpreter_language": household.interpreter_language
        if household.interpreter_needed
        else "",
    }
    facts = {
        "home": home,
        "tenants": tenants,
        "start_date": letter_date(tenancy.start_date),
    }
    if tenancy.introductory_review == Licence.IntroductoryReview.EXTENDED:
        reviewed_on = tenancy.introductory_reviewed_on
        return letter_request_to(
            kind=Letter.Kind.INTRO_EXTENDED,
            context={
                **facts,
                "was_ending_on": letter_date(
                    tenancy.introductory_ends_on - relativedelta(months=EXTENSION_MONTHS)
                ),
                "extended_to": letter_date(tenancy.introductory_ends_on),
                "reasons": _reasons(tenancy.introductory_extension_reason),
                "review_by": letter_date(reviewed_on + timedelta(days=REVIEW_DAYS)),
                "review_days": REVIEW_DAYS,
            },
            **common,
        )
    if tenancy.introductory_review == Licence.IntroductoryReview.CONFIRMED:
        return letter_request_to(
            kind=Letter.Kind.INTRO_CONFIRMED,
            context={**facts, "secure_from": letter_date(tenancy.introductory_ends_on)},
            **common,
        )
    return None


def tenancy_letters(tenancy: Licence):
    return tenancy.letters.order_by("requested_at", "pk")
