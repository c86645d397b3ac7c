"""Every URL needs a signed-in user, and each role gets exactly what the permission table says."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from allocations import rules, services
from allocations.models import (
    AllocationDecision,
    Application,
    Assessment,
    DueDiligenceCheck,
    EvidenceDocument,
    Interview,
    Letter,
    Offer,
    Partner,
    PolicyVersion,
    ShortlistEntry,
    SiteVisit,
    Vacancy,
)
from census import services as census_services
from census.models import CaravanCount, CensusDifference, CensusReturn, CensusRound
from config.kernel.documents import document_render
from config.roles import ROLE_PERMISSIONS, ROLES
from projects import services as project_services
from projects.models import Milestone, Project, Reminder, Risk, TaskAttachment, WorkItem
from residents import services as residents_services
from residents.models import (
    Breach,
    HandbookEdition,
    HandbookSection,
    Licence,
    LicenceDocument,
    LicenceOccupant,
    MeterReading,
    NewResidentVisit,
    Person,
    UnauthorisedOccupant,
)
from tests.allocations.casework import checks_back
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    VacancyFactory,
)
from tests.factories import PersonFactory, SiteFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# Reachable without signing in: signing in and out, resetting a password, the health check.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
}

# url name -> (permission needed to GET, permission needed to POST or None if GET-only).
# None for GET means any signed-in user.
MATRIX = {
    "home": (None, None),
    "ping": (None, None),
    "change-log": ("config.view_change_log", None),
    "change-log-csv": ("config.view_change_log", None),
    "sites:site-list": ("sites.view_site", None),
    "sites:site-create": ("sites.add_site", "sites.add_site"),
    "sites:site-detail": ("sites.view_site", None),
    "sites:site-edit": ("sites.change_site", "sites.change_site"),
    "sites:site-history": ("sites.view_site", None),
    "sites:unit-create": ("sites.add_unit", "sites.add_unit"),
    "sites:unit-detail": ("sites.view_unit", None),
    "sites:unit-edit": ("sites.change_unit", "sites.change_unit"),
    "sites:unit-history": ("sites.view_unit", None),
    "residents:household-list": ("residents.view_household", "residents.view_household"),
    "residents:household-create": ("residents.add_household", "residents.add_household"),
    "residents:household-detail": ("residents.view_household", None),
    "residents:household-edit": ("residents.change_household", "residents.change_household"),
    "residents:household-history": ("residents.view_household", None),
    "residents:person-create": ("residents.add_person", "residents.add_person"),
    "residents:person-edit": ("residents.change_person", "residents.change_person"),
    "residents:person-history": ("residents.view_person", None),
    "residents:special-category-views": ("residents.view_specialcategoryview", None),
    "residents:licence-list": ("residents.view_licence", None),
    "residents:licence-detail": ("residents.view_licence", None),
    "residents:licence-history": ("residents.view_licence", None),
    "residents:licence-edit": ("residents.change_licence", "residents.change_licence"),
    "residents:licence-documents": (None, "residents.change_licence"),
    "residents:licence-document-download": ("residents.view_licencedocument", None),
    "residents:licence-statement": ("residents.change_licence", "residents.change_licence"),
    "residents:licence-sign": ("residents.sign_licence", "residents.sign_licence"),
    "residents:licence-end": ("residents.end_licence", "residents.end_licence"),
    "residents:occupant-add": (
        "residents.add_licenceoccupant",
        "residents.add_licenceoccupant",
    ),
    "residents:occupant-end": (
        "residents.change_licenceoccupant",
        "residents.change_licenceoccupant",
    ),
    "residents:occupant-role": (None, "residents.change_licenceoccupant"),
    "residents:unauthorised-occupant-create": (
        "residents.add_unauthorisedoccupant",
        "residents.add_unauthorisedoccupant",
    ),
    "residents:unauthorised-occupant-update": (
        "residents.change_unauthorisedoccupant",
        "residents.change_unauthorisedoccupant",
    ),
    "residents:breach-create": ("residents.add_breach", "residents.add_breach"),
    "residents:visit-detail": ("residents.view_newresidentvisit", None),
    "residents:visit-history": ("residents.view_newresidentvisit", None),
    "residents:visit-dates": (
        "residents.change_newresidentvisit",
        "residents.change_newresidentvisit",
    ),
    "residents:visit-handbook": (
        "residents.change_newresidentvisit",
        "residents.change_newresidentvisit",
    ),
    "residents:visit-notify": (None, "residents.change_newresidentvisit"),
    "residents:visit-complete": (None, "residents.change_newresidentvisit"),
    "residents:meter-reading-create": ("residents.add_meterreading", "residents.add_meterreading"),
    "residents:meter-photo": ("residents.view_meterreading", None),
    "residents:breach-detail": ("residents.view_breach", None),
    "residents:breach-history": ("residents.view_breach", None),
    "residents:breach-update": ("residents.change_breach", "residents.change_breach"),
    "residents:breach-evidence": ("residents.view_breach", None),
    "residents:handbook": ("residents.view_handbooksection", None),
    "residents:handbook-section-create": (
        "residents.add_handbooksection",
        "residents.add_handbooksection",
    ),
    "residents:handbook-section-edit": (
        "residents.change_handbooksection",
        "residents.change_handbooksection",
    ),
    "residents:handbook-section-history": ("residents.view_handbooksection", None),
    "residents:handbook-print": (None, "residents.add_handbookedition"),
    "residents:handbook-download": ("residents.view_handbookedition", None),
    "allocations:application-list": ("allocations.view_application", None),
    "allocations:application-create": (
        "allocations.add_application",
        "allocations.add_application",
    ),
    "allocations:application-detail": ("allocations.view_application", None),
    "allocations:application-submit": (None, "allocations.change_application"),
    "allocations:application-validate": (
        "allocations.validate_application",
        "allocations.validate_application",
    ),
    "allocations:application-assess": (
        "allocations.assess_application",
        "allocations.assess_application",
    ),
    "allocations:application-dates": ("allocations.change_priority", "allocations.change_priority"),
    "allocations:application-status": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:evidence-upload": (
        "allocations.add_evidencedocument",
        "allocations.add_evidencedocument",
    ),
    "allocations:application-history": ("allocations.view_application", None),
    "allocations:evidence-download": ("allocations.view_evidencedocument", None),
    "allocations:letter-download": ("allocations.view_application", None),
    "allocations:override-request": (
        "allocations.assess_application",
        "allocations.assess_application",
    ),
    "allocations:override-decide": ("allocations.approve_override", "allocations.approve_override"),
    "allocations:vacancy-list": ("allocations.view_vacancy", None),
    "allocations:vacancy-create": ("allocations.add_vacancy", "allocations.add_vacancy"),
    "allocations:vacancy-detail": ("allocations.view_vacancy", None),
    "allocations:vacancy-advertise": (None, "allocations.change_vacancy"),
    "allocations:bid-create": (None, "allocations.add_bid"),
    "allocations:vacancy-freeze": ("allocations.freeze_shortlist", "allocations.freeze_shortlist"),
    "allocations:shortlist-replay": ("allocations.view_vacancy", None),
    "allocations:vacancy-history": ("allocations.view_vacancy", None),
    "allocations:shortlist-bypass": (
        "allocations.change_shortlistentry",
        "allocations.change_shortlistentry",
    ),
    "allocations:policy-list": ("allocations.view_policyversion", None),
    "allocations:policy-detail": ("allocations.view_policyversion", None),
    "allocations:policy-publish": (
        "allocations.publish_policyversion",
        "allocations.publish_policyversion",
    ),
    "projects:project-list": ("projects.view_project", None),
    "projects:project-create": ("projects.add_project", "projects.add_project"),
    "projects:project-detail": ("projects.view_project", None),
    "projects:project-edit": ("projects.change_project", "projects.change_project"),
    "projects:project-history": ("projects.view_project", None),
    "projects:task-create": ("projects.add_workitem", "projects.add_workitem"),
    "projects:milestone-create": ("projects.add_milestone", "projects.add_milestone"),
    "projects:risk-create": ("projects.add_risk", "projects.add_risk"),
    "projects:milestone-achieve": ("projects.change_milestone", "projects.change_milestone"),
    "projects:risk-edit": ("projects.change_risk", "projects.change_risk"),
    "projects:minutes-create": ("projects.add_minutes", "projects.add_minutes"),
    "projects:task-detail": ("projects.view_workitem", None),
    "projects:task-edit": ("projects.change_workitem", "projects.change_workitem"),
    # Completing work that is not yours (or your role's) is refused with a message, not a 403.
    "projects:task-complete": (None, "projects.complete_workitem"),
    "projects:task-reopen": ("projects.change_workitem", "projects.change_workitem"),
    "projects:task-reassign": ("projects.change_workitem", "projects.change_workitem"),
    "projects:task-cancel": ("projects.change_workitem", "projects.change_workitem"),
    "projects:task-history": ("projects.view_workitem", None),
    "projects:attachment-upload": ("projects.add_taskattachment", "projects.add_taskattachment"),
    "projects:attachment-download": ("projects.view_taskattachment", None),
    "projects:team-queue": ("projects.view_team_queue", None),
    # Acknowledging a reminder sent to someone else is refused with a message, not a 403.
    "projects:reminder-acknowledge": (None, "projects.complete_workitem"),
    "allocations:case-history": ("allocations.view_application", None),
    "allocations:partner-list": ("allocations.view_partner", None),
    "allocations:partner-create": ("allocations.add_partner", "allocations.add_partner"),
    "allocations:partner-edit": ("allocations.change_partner", "allocations.change_partner"),
    "allocations:partner-history": ("allocations.view_partner", None),
    "allocations:interview-create": ("allocations.add_interview", "allocations.add_interview"),
    "allocations:interview-outcome": (
        "allocations.change_interview",
        "allocations.change_interview",
    ),
    "allocations:interview-history": ("allocations.view_interview", None),
    "allocations:check-create": (
        "allocations.add_duediligencecheck",
        "allocations.add_duediligencecheck",
    ),
    "allocations:check-exception": (
        "allocations.add_checkexception",
        "allocations.add_checkexception",
    ),
    "allocations:check-detail": ("allocations.view_duediligencecheck", None),
    "allocations:check-return": (
        "allocations.change_duediligencecheck",
        "allocations.change_duediligencecheck",
    ),
    "allocations:check-history": ("allocations.view_duediligencecheck", None),
    "allocations:sitevisit-create": ("allocations.add_sitevisit", "allocations.add_sitevisit"),
    "allocations:sitevisit-outcome": (
        "allocations.change_sitevisit",
        "allocations.change_sitevisit",
    ),
    "allocations:sitevisit-history": ("allocations.view_sitevisit", None),
    "allocations:offer-create": ("allocations.add_offer", "allocations.add_offer"),
    "allocations:offer-detail": ("allocations.view_offer", None),
    "allocations:offer-reply": ("allocations.change_offer", "allocations.change_offer"),
    "allocations:offer-withdraw": ("allocations.change_offer", "allocations.change_offer"),
    "allocations:offer-history": ("allocations.view_offer", None),
    "allocations:decision-propose": (
        "allocations.add_allocationdecision",
        "allocations.add_allocationdecision",
    ),
    "allocations:decision-queue": ("allocations.approve_allocationdecision", None),
    "allocations:decision-sample": ("allocations.add_decisionreview", None),
    # Team leaders decide on the decision's own page; everyone who reads decisions sees it.
    "allocations:decision-detail": (
        "allocations.view_allocationdecision",
        "allocations.approve_allocationdecision",
    ),
    "allocations:decision-review": (
        "allocations.add_decisionreview",
        "allocations.add_decisionreview",
    ),
    "allocations:decision-history": ("allocations.view_allocationdecision", None),
    "census:round-list": ("census.view_censusround", None),
    "census:round-create": ("census.add_censusround", "census.add_censusround"),
    "census:round-detail": ("census.view_censusround", None),
    "census:round-start": (None, "census.change_censusround"),
    "census:round-close": (None, "census.change_censusround"),
    "census:round-report": ("census.view_census_report", None),
    "census:round-report-csv": ("census.view_census_report", None),
    "census:round-report-xlsx": ("census.view_census_report", None),
    "census:count-derive": ("census.add_caravancount", "census.add_caravancount"),
    "census:round-history": ("census.view_censusround", None),
    "census:return-detail": ("census.view_censusreturn", None),
    "census:return-edit": ("census.change_censusreturn", "census.change_censusreturn"),
    "census:return-history": ("census.view_censusreturn", None),
    "census:difference-apply": (
        "census.change_censusdifference",
        "census.change_censusdifference",
    ),
    "census:difference-dismiss": (
        "census.change_censusdifference",
        "census.change_censusdifference",
    ),
    "census:difference-history": ("census.view_censusdifference", None),
    "census:count-list": ("census.view_caravancount", None),
    "census:count-create": ("census.add_caravancount", "census.add_caravancount"),
    "census:count-csv": ("census.view_caravancount", None),
    "census:count-history": ("census.view_caravancount", None),
}

# Actions that are buttons, not pages: they take POST only (GET is 405 for those allowed).
POST_ONLY = {
    "residents:occupant-role",
    "residents:licence-documents",
    "residents:visit-notify",
    "residents:visit-complete",
    "residents:handbook-print",
    "allocations:application-submit",
    "allocations:vacancy-advertise",
    "allocations:bid-create",
    "projects:task-complete",
    "projects:reminder-acknowledge",
    "census:round-start",
    "census:round-close",
}
# Actions whose empty POST is complete in itself (a button press), answered with a redirect
# back to the record and a message, rather than a form with errors (400).
BUTTON_POSTS = {
    "residents:occupant-role",  # refused on a signed licence, with a message
    "residents:licence-documents",  # refused on a live licence, with a message
    "residents:visit-notify",
    "residents:visit-complete",  # refused while things are outstanding, with a message
    "residents:handbook-print",
    "allocations:application-submit",
    "allocations:application-assess",  # no criteria ticked is a valid assessment
    "allocations:vacancy-advertise",
    "allocations:vacancy-freeze",
    "projects:task-complete",
    "projects:reminder-acknowledge",
    "census:round-start",
    "census:round-close",
    # A census return saves part-done: an empty form is a valid save ("finish later").
    "census:return-edit",
}

# Buttons whose record decides too (each app's predicates.py): the records' task belongs to a
# person with no role, so only a role that may complete anyone's task (the head of service)
# passes; the others are refused with 403 like any other "not allowed".
OBJECT_POSTS = {"projects:task-complete": "projects.change_project"}

# POSTs that change no records, so read-only roles (auditors included) may make them: a search
# form POSTs its criteria so that no personal data goes in a URL (Post/Redirect/Get).
READ_ONLY_POSTS = {"residents:household-list"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is checked on its own below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _url(name: str, site, unit) -> str:
    person = Person.objects.order_by("pk").first()  # made by the records fixture
    kwargs_by_name = {
        "residents:household-detail": [person.household_id],
        "residents:household-edit": [person.household_id],
        "residents:household-history": [person.household_id],
        "residents:person-create": [person.household_id],
        "residents:person-edit": [person.pk],
        "residents:person-history": [person.pk],
        "sites:site-detail": [site.pk],
        "sites:site-edit": [site.pk],
        "sites:site-history": [site.pk],
        "sites:unit-create": [site.pk],
        "sites:unit-detail": [unit.pk],
        "sites:unit-edit": [unit.pk],
        "sites:unit-history": [unit.pk],
    }
    kwargs_by_name |= _licence_kwargs(name, site)
    application = Application.objects.order_by("pk").first()
    assessment = Assessment.objects.order_by("pk").first()
    vacancy = Vacancy.objects.order_by("pk").first()
    kwargs_by_name |= {
        "allocations:application-create": [person.household_id],
        "allocations:evidence-download": [EvidenceDocument.objects.order_by("pk").first().pk],
        "allocations:letter-download": [Letter.objects.order_by("pk").first().pk],
        "allocations:override-request": [assessment.pk],
        "allocations:override-decide": [assessment.pk],
        "allocations:vacancy-create": [unit.pk],
        "allocations:shortlist-bypass": [ShortlistEntry.objects.order_by("pk").first().pk],
        "allocations:policy-detail": [PolicyVersion.objects.order_by("pk").first().pk],
        "allocations:policy-publish": [PolicyVersion.objects.order_by("pk").first().pk],
    }
    offer = Offer.objects.order_by("pk").first()
    decision = AllocationDecision.objects.order_by("pk").first()
    check = DueDiligenceCheck.objects.order_by("pk").first()
    for names, pk in (
        (
            {
                "allocations:interview-create",
                "allocations:case-history",
                "allocations:check-create",
                "allocations:check-exception",
                "allocations:sitevisit-create",
            },
            application.pk,
        ),
        ({"allocations:partner-edit", "allocations:partner-history"}, Partner.objects.first().pk),
        (
            {"allocations:interview-outcome", "allocations:interview-history"},
            Interview.objects.first().pk,
        ),
        (
            {"allocations:sitevisit-outcome", "allocations:sitevisit-history"},
            SiteVisit.objects.first().pk,
        ),
        (
            {"allocations:check-detail", "allocations:check-return", "allocations:check-history"},
            check.pk,
        ),
        ({"allocations:offer-create"}, offer.entry_id),
        (
            {
                "allocations:offer-detail",
                "allocations:offer-reply",
                "allocations:offer-withdraw",
                "allocations:offer-history",
                "allocations:decision-propose",
            },
            offer.pk,
        ),
        (
            {
                "allocations:decision-detail",
                "allocations:decision-review",
                "allocations:decision-history",
            },
            decision.pk,
        ),
    ):
        if name in names:
            kwargs_by_name[name] = [pk]
    for prefix, record in (
        ("allocations:application-", application),
        ("allocations:vacancy-", vacancy),
    ):
        if (
            name.startswith(prefix)
            and name not in kwargs_by_name
            and not name.endswith(("-list", "-create"))
        ):
            kwargs_by_name[name] = [record.pk]
    if name in {"allocations:evidence-upload"}:
        kwargs_by_name[name] = [application.pk]
    if name in {"allocations:bid-create", "allocations:shortlist-replay"}:
        kwargs_by_name[name] = [vacancy.pk]
    if name.startswith("projects:") and not name.endswith(("-list", "-create", "-queue")):
        task = WorkItem.objects.filter(project__isnull=False).order_by("pk").first()
        if name.startswith("projects:project-"):
            kwargs_by_name[name] = [task.project_id]
        elif name == "projects:attachment-download":
            kwargs_by_name[name] = [TaskAttachment.objects.order_by("pk").first().pk]
        elif name == "projects:milestone-achieve":
            kwargs_by_name[name] = [Milestone.objects.order_by("pk").first().pk]
        elif name == "projects:risk-edit":
            kwargs_by_name[name] = [Risk.objects.order_by("pk").first().pk]
        elif name == "projects:reminder-acknowledge":
            kwargs_by_name[name] = [Reminder.objects.order_by("pk").first().pk]
        else:
            kwargs_by_name[name] = [task.pk]
    if name in {
        "projects:task-create",
        "projects:milestone-create",
        "projects:risk-create",
        "projects:minutes-create",
    }:
        kwargs_by_name[name] = [Project.objects.order_by("pk").first().pk]
    if name.startswith("census:") and not name.endswith(("-list", "-create", "-csv")):
        census_return = CensusReturn.objects.order_by("pk").first()
        difference = CensusDifference.objects.order_by("pk").first()
        if name.startswith(("census:round-", "census:count-derive")):
            kwargs_by_name[name] = [census_return.round_id]
        elif name == "census:return-edit":
            to_do = CensusReturn.objects.exclude(status="submitted").order_by("pk").first()
            kwargs_by_name[name] = [to_do.pk]
        elif name.startswith("census:return-"):
            kwargs_by_name[name] = [census_return.pk]
        elif name.startswith("census:difference-"):
            kwargs_by_name[name] = [difference.pk]
        elif name == "census:count-history":
            kwargs_by_name[name] = [CaravanCount.objects.order_by("pk").first().pk]
    if name == "census:round-report-csv" or name == "census:round-report-xlsx":
        kwargs_by_name[name] = [CensusRound.objects.order_by("pk").first().pk]
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    return reverse(name, args=kwargs_by_name.get(name, []))


def _licence_kwargs(name: str, site) -> dict:
    if not name.startswith("residents:") or name.startswith(
        ("residents:household", "residents:person", "residents:special")
    ):
        return {}
    licence = Licence.objects.order_by("pk").first()
    record_by_prefix = {
        "residents:licence-document-": LicenceDocument.objects.order_by("pk").first(),
        "residents:occupant-end": LicenceOccupant.objects.order_by("pk").first(),
        "residents:occupant-role": LicenceOccupant.objects.order_by("pk").first(),
        "residents:visit-": NewResidentVisit.objects.order_by("pk").first(),
        "residents:meter-reading-": NewResidentVisit.objects.order_by("pk").first(),
        "residents:meter-photo": MeterReading.objects.order_by("pk").first(),
        "residents:unauthorised-occupant-update": UnauthorisedOccupant.objects.first(),
        "residents:breach-create": licence,
        "residents:breach-": Breach.objects.order_by("pk").first(),
        "residents:handbook-section-edit": HandbookSection.objects.order_by("pk").first(),
        "residents:handbook-section-history": HandbookSection.objects.order_by("pk").first(),
        "residents:handbook-print": site,
        "residents:handbook-download": HandbookEdition.objects.order_by("pk").first(),
        "residents:licence-": licence,
        "residents:occupant-add": licence,
        "residents:unauthorised-occupant-create": licence,
    }
    if name in {
        "residents:licence-list",
        "residents:handbook",
        "residents:handbook-section-create",
    }:
        return {}
    for prefix, record in record_by_prefix.items():
        if name.startswith(prefix):
            return {name: [record.pk]}
    return {}


def _licence_records(unit, recorder) -> None:
    """A signed licence with a visit, a meter reading, a breach, and a printed handbook."""
    officer = UserFactory(username="licence-officer", roles=["officer"])
    licence = residents_services.licence_draft_create(
        household=PersonFactory(household__reference="H-LIC").household,
        unit=UnitFactory(
            site=unit.site,
            status="void",
            void_date=date(2025, 1, 1),
            void_reason="other",
            has_electricity_meter=True,
        ),
        start_date=timezone.localdate(),
        by=officer,
    )
    for document in residents_services.licence_documents_request(licence=licence, by=officer):
        document_render(model="residents.LicenceDocument", pk=document.pk)
    today = timezone.localdate()
    residents_services.licence_written_statement_give(licence=licence, given_on=today, by=officer)
    residents_services.licence_sign(
        licence=licence, signed_on=today, witnessed_by=officer, by=officer
    )

    def photo():
        upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 16)
        upload.detected_content_type = "image/png"
        return upload

    residents_services.meter_reading_record(
        visit=licence.visit,
        meter="electricity",
        serial="E1",
        reading=Decimal("1"),
        read_on=today,
        photo=photo(),
        by=officer,
    )
    residents_services.breach_raise(
        licence=licence,
        category="other",
        observed_on=today,
        description="Seen",
        evidence=photo(),
        by=officer,
    )
    residents_services.unauthorised_occupant_record(
        unit=licence.unit, name="Someone", found_on=today, where_found="visit", by=officer
    )
    residents_services.handbook_section_create(heading="Welcome", body="Hello.", by=recorder)
    edition = residents_services.handbook_edition_request(site=unit.site, by=recorder)
    document_render(model="residents.HandbookEdition", pk=edition.pk)


def _all_no() -> dict:
    policy = services.policy_in_force(scheme="pitch", on=timezone.localdate())
    return {
        item["code"]: {"met": False}
        for item in policy.rules["eligibility"] + policy.rules["exclusions"]
    }


@pytest.fixture
def records(settings, tmp_path):
    """One of every kind of record a URL can point at, made through the services."""
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory()
    person = PersonFactory(household__unit=unit)
    recorder = UserFactory(username="recorder")
    application = ActiveApplicationFactory(household=person.household)
    services.application_assess(application=application, criteria=[], by=recorder)
    services.evidence_attach(
        application=application,
        kind="identity",
        description="Passport",
        upload=SimpleUploadedFile("passport.pdf", b"%PDF-1.4 passport"),
        by=recorder,
    )
    invalid = ApplicationFactory(status=Application.Status.SUBMITTED, household=person.household)
    services.application_validate(application=invalid, answers=_all_no(), by=recorder)
    document_render(model="allocations.Letter", pk=Letter.objects.get().pk)  # the first letter
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=vacancy, application=application, by=recorder)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=recorder)
    # Casework on that application: an interview, a visit, checks back, an accepted offer and
    # a decision waiting for a team leader (proposed by someone who holds no role here).
    second = UserFactory(username="second-officer")
    soon = timezone.now() + timedelta(days=1)
    services.interview_schedule(
        application=application, starts_at=soon, place="Office", lead_officer=recorder, by=recorder
    )
    services.site_visit_arrange(
        application=application,
        site=vacancy.unit.site,
        starts_at=soon,
        officers=[recorder, second],
        by=recorder,
    )
    checks_back(application, recorder)
    offer = services.offer_make(
        entry=entry, respond_by=date.today() + timedelta(days=7), by=recorder
    )
    services.offer_accept(offer=offer, on=timezone.localdate(), by=recorder)
    services.decision_propose(
        offer=offer,
        answers={
            clause["code"]: {"met": True}
            for clause in rules.decision_checklist(offer.vacancy.policy_version.rules)
        },
        reasons="First on the shortlist",
        by=recorder,
    )
    project = project_services.project_create(name="Site improvements", lead=recorder, by=recorder)
    task = project_services.project_task_create(
        project=project,
        title="Survey pitches",
        due_on=date(2026, 12, 1),
        assignee=recorder,
        by=recorder,
    )
    project_services.attachment_add(
        item=task,
        description="Survey plan",
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        by=recorder,
    )
    project_services.milestone_add(
        project=project, title="Survey done", due_on=date(2026, 12, 1), by=recorder
    )
    project_services.risk_add(
        project=project,
        title="Contractor delay",
        likelihood=2,
        impact=2,
        owner=recorder,
        review_on=date(2026, 12, 1),
        by=recorder,
    )
    project_services.reminders_create(today=date(2026, 11, 30), by=recorder)
    # A census round on a second site: one return submitted with a difference, one to do.
    census_site = SiteFactory()
    census_unit = UnitFactory(site=census_site)
    UnitFactory(site=census_site)
    census_round = census_services.round_create(
        year=2026,
        planned_start=date(2026, 1, 5),
        deadline=date(2026, 3, 31),
        sites=[census_site],
        by=recorder,
    )
    census_services.round_start(census_round=census_round, by=recorder)
    census_return = census_round.returns.get(unit=census_unit)
    census_services.return_save(
        census_return=census_return,
        caravans=2,
        visited_on=date(2026, 2, 1),
        officer=recorder,
        new_people=[{"name": "John Smith", "approximate_age": 30}],
        by=recorder,
    )
    census_services.return_submit(census_return=census_return, by=recorder)
    census_services.caravan_counts_derive(
        census_round=census_round, count_date=date(2026, 1, 15), by=recorder
    )
    _licence_records(unit, recorder)
    return unit.site, unit


def test_every_url_is_in_the_access_matrix_or_public():
    names = {name for name, _ in _named_patterns()}
    assert names == set(MATRIX) | PUBLIC, (
        "A URL was added or removed: put it in MATRIX (with its permission) or PUBLIC."
    )


def test_anonymous_users_are_sent_to_sign_in_from_every_private_url(client, records):
    site, unit = records
    for name in MATRIX:
        url = _url(name, site, unit)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(reverse("login") + "?next="), url


def test_public_urls_need_no_sign_in(client, records):
    site, unit = records
    for name in PUBLIC - {"logout"}:
        assert client.get(_url(name, site, unit)).status_code == 200, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_each_role_gets_exactly_what_the_permission_table_says(
    client, user_for_role, records, role
):
    site, unit = records
    client.force_login(user_for_role(role))
    granted = ROLE_PERMISSIONS[role]
    for name, (get_permission, post_permission) in MATRIX.items():
        url = _url(name, site, unit)
        if name in POST_ONLY:
            expected = 405 if post_permission in granted else 403
        else:
            expected = 200 if get_permission is None or get_permission in granted else 403
        assert client.get(url).status_code == expected, f"{role} GET {url}"
        response = client.post(url, {})
        if post_permission is None:
            # Pages that only show things do not accept POST (no state change through them).
            assert response.status_code in {403, 405}, f"{role} POST {url}"
        elif post_permission in granted:
            # An empty search is refused like any empty form.
            wanted = 302 if name in BUTTON_POSTS else 400
            if name in OBJECT_POSTS and OBJECT_POSTS[name] not in granted:
                wanted = 403
            assert response.status_code == wanted, f"{role} POST {url}"
        else:
            assert response.status_code == 403, f"{role} POST {url}"


def test_auditors_get_403_on_every_post(client, auditor, records):
    site, unit = records
    client.force_login(auditor)
    for name in MATRIX:
        response = client.post(_url(name, site, unit), {"name": "x"})
        if name in READ_ONLY_POSTS:
            assert response.status_code == 302, name  # a search, changing nothing
        else:
            assert response.status_code in {403, 405}, name


def test_read_only_posts_need_only_the_permission_to_view():
    for name in READ_ONLY_POSTS:
        get_permission, post_permission = MATRIX[name]
        assert post_permission == get_permission and ".view_" in post_permission, name


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_only_administrators_reach_the_admin(client, user_for_role, role):
    client.force_login(user_for_role(role))
    expected = 200 if role == "administrator" else 403
    assert client.get(reverse("admin:index")).status_code == expected


def test_anonymous_admin_visitors_sign_in_on_the_service_login_page(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
