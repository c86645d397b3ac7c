"""The allocations' demo data: applications at each stage and an advertised vacancy, then
partners and a case part-way from shortlist to offer; and, between the two, the residents'
licences, told which void pitches and applicant households the applications have taken."""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations import services
from allocations.models import Application, Partner, Scheme, Vacancy
from config.demo import Demo, DemoStep
from residents import demo as residents_demo
from residents.models import Household
from sites.models import Unit


def paper_form() -> SimpleUploadedFile:
    """A scanned paper application form: the evidence for a demo application's earlier date."""
    upload = SimpleUploadedFile("application-form.pdf", b"%PDF-1.4\n% demo application form")
    upload.detected_content_type = "application/pdf"
    return upload


DEMO_PARTNERS = [
    (
        "police",
        "Northshire Police",
        "Information Sharing Desk",
        "isd@northshire-police.example",
        "Northshire ISA 2024/03 (police)",
    ),
    (
        "previous_landlord",
        "Northshire Homes (housing association)",
        "Tenancy Services",
        "tenancies@northshirehomes.example",
        "Northshire Homes data-sharing protocol 2023",
    ),
    (
        "other_council",
        "Westmoor District Council",
        "Housing Options",
        "housing@westmoor.example",
        "Regional housing ISA 2022",
    ),
    (
        "social_care",
        "Northshire Children's Services",
        "Front Door",
        "frontdoor@northshire.example",
        "Northshire multi-agency ISA 2024",
    ),
    (
        "probation",
        "Probation Service, Northshire",
        "Accommodation Lead",
        "accommodation@probation.example",
        "Northshire ISA 2024/03 (probation)",
    ),
]


# What pitch policy version 1 (as the software first published it) calls Gypsy or Traveller
# status, and what version 2 calls it: the Housing Act 2004 s.225 duty, and its definition,
# were repealed by the Housing and Planning Act 2016 s.124.
REPEALED_STATUS = "Gypsy or Traveller status (ethnicity, or the Housing Act 2004 s.225 definition)"
STATUS = "Gypsy or Traveller status (ethnicity, or the planning definition)"


def _status_wording_published(demo: Demo) -> None:
    """Version 2 of the pitch policy: version 1's rules with Gypsy or Traveller status no
    longer described by a repealed section of the Housing Act 2004, nothing else changed, from
    the 1 April before the demo's applications. Version 1 stays as published."""
    today = timezone.localdate()
    current = services.policy_in_force(scheme=Scheme.PITCH, on=today)
    eligibility = current.rules["eligibility"]
    if not any(item["label"] == REPEALED_STATUS for item in eligibility):
        return
    services.policy_publish(
        scheme=Scheme.PITCH,
        name=current.name,
        effective_from=date(today.year if today.month >= 4 else today.year - 1, 4, 1),
        policy_rules={
            **current.rules,
            "eligibility": [
                item | {"label": STATUS} if item["label"] == REPEALED_STATUS else item
                for item in eligibility
            ],
        },
        summary_of_changes="Gypsy or Traveller status is by ethnicity or the planning "
        "definition: the Housing Act 2004 s.225 definition version 1 named was repealed by the "
        "Housing and Planning Act 2016 s.124. Nothing else changes.",
        by=demo.admin,
    )


def applications_load(demo: Demo) -> None:
    """A few pitch applications at each stage and an advertised vacancy with applicants,
    all through the engine's services, so the demo shows the whole path. One application
    is found invalid: its letter is drawn by the Celery worker once `make run` is up."""
    rng = demo.rng
    officer = demo.user("officer")
    today = timezone.localdate()
    _status_wording_published(demo)
    policy = services.policy_in_force(scheme=Scheme.PITCH, on=today)
    households = list(
        # Applicants: households with no home of the council's yet.
        Household.objects.filter(unit__isnull=True, licences__isnull=True).order_by("reference")[:7]
    )
    active = []
    for index, household in enumerate(households):
        application = services.application_create(
            household=household,
            scheme=Scheme.PITCH,
            kind=rng.choice(["new", "new", "transfer", "adult_child"]),
            registration_date=today - timedelta(days=rng.randint(60, 900)),
            consent_to_enquiries=True,
            by=officer,
            # Recorded today from a paper form received earlier: its date is evidenced.
            backdate_reason="Paper application form received on the registration date",
            backdate_evidence=paper_form(),
        )
        if index == 0:
            continue  # left as a draft
        services.application_submit(application=application, by=officer)
        if index == 1:
            continue  # awaiting validation
        answers = {item.code: {"met": True} for item in policy.policy.eligibility}
        answers |= {item.code: {"met": False} for item in policy.policy.exclusions}
        if index == 2:
            answers[policy.policy.eligibility[3].code] = {
                "met": False,
                "note": "Only one reference received, from a family member",
            }
        services.application_validate(application=application, answers=answers, by=officer)
        if index == 2:
            continue  # invalid, with its letter
        criteria = rng.sample(policy.policy.criteria, k=rng.randint(0, 3))
        services.application_assess(
            application=application,
            criteria=[{"code": c.code, "evidence": "Seen at the office visit"} for c in criteria],
            local_connection=rng.choice([0, 1, 2, 3]),
            by=officer,
        )
        active.append(application)
    unit = Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID).first()
    if unit is None:
        return
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.PITCH,
        advert_text=f"{unit.reference} at {unit.site.name}: a pitch with an amenity block.",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=11),
        by=officer,
    )
    services.vacancy_advertise(vacancy=vacancy, by=officer)
    for application in active:
        services.bid_place(vacancy=vacancy, application=application, by=officer)


APPLICATIONS = DemoStep(loaded=lambda: Application.objects.exists(), load=applications_load)


def licences_load(demo: Demo) -> None:
    """The residents' licences demo, on the void pitches no vacancy has taken and for the
    applicant households with no application."""
    residents_demo.licences_load(
        demo,
        units_taken=Vacancy.objects.values("unit_id"),
        households_taken=Application.objects.values("household_id"),
    )


LICENCES = DemoStep(loaded=residents_demo.licences_loaded, load=licences_load)


def casework_load(demo: Demo) -> None:
    """Partners for due-diligence checks, and a second vacancy whose shortlist is frozen,
    its top applicant part-way through: interview tomorrow, one check back, one waiting."""
    officer = demo.user("officer")
    today = timezone.localdate()
    partners = {
        kind: services.partner_save(
            partner=Partner(
                name=name,
                kind=kind,
                contact_name=contact,
                email=email,
                agreement=agreement,
            ),
            by=officer,
        )
        for kind, name, contact, email, agreement in DEMO_PARTNERS
    }
    active = list(
        Application.objects.filter(status=Application.Status.ACTIVE).order_by("reference")
    )
    unit = (
        Unit.objects.filter(kind=Unit.Kind.PITCH, status=Unit.Status.VOID)
        .exclude(vacancies__isnull=False)
        .first()
    )
    if unit is None or not active:
        return
    vacancy = services.vacancy_create(
        unit=unit,
        scheme=Scheme.PITCH,
        advert_text=f"{unit.reference} at {unit.site.name}: a pitch close to the school.",
        opens_on=today - timedelta(days=21),
        closes_on=today,
        by=officer,
    )
    services.vacancy_advertise(vacancy=vacancy, by=officer)
    for application in active:
        services.bid_place(vacancy=vacancy, application=application, by=officer)
    entries = services.shortlist_freeze(vacancy=vacancy, by=officer)
    top = min((e for e in entries if e.eligible), key=lambda e: e.position).application
    tomorrow = today + timedelta(days=1)
    services.interview_schedule(
        application=top,
        starts_at=timezone.make_aware(datetime.combine(tomorrow, time(10, 30))),
        place="County Hall, interview room 2",
        lead_officer=officer,
        by=officer,
    )
    landlord = services.check_request(
        application=top,
        partner=partners["previous_landlord"],
        purpose="Tenancy history for a pitch offer",
        legal_basis="Applicant's signed consent",
        consent_reference="Form A1, page 4",
        requested_on=today - timedelta(days=9),
        due_on=today - timedelta(days=2),
        by=officer,
    )
    services.check_return(
        check=landlord,
        returned_on=today - timedelta(days=3),
        outcome="clear",
        notes="Rent paid on time; no complaints.",
        by=officer,
    )
    services.check_request(
        application=top,
        partner=partners["police"],
        purpose="Safety of residents and staff for a pitch offer",
        legal_basis="Northshire ISA 2024/03 clause 4.2",
        due_on=today + timedelta(days=10),
        by=officer,
    )


CASEWORK = DemoStep(loaded=lambda: Partner.objects.exists(), load=casework_load)
