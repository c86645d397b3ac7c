"""The demo's housekeeping (issue 15): a child turning 10 in 17 days (20 December when the demo
is loaded on 3 December) and a pregnancy due in 59 days, both seen coming in the officer's
queue; on a pitch application, a son turning 18 in 24 days (the pitch need to reassess); five
scans uploaded by business support, four filed by the officer, and a call; a vulnerability
interview, a referral and a case conference with actions; renewals at each step (reminded, on
hold, closed and reinstated with its date kept); a suspension that ends by itself. The nightly
task then runs once, as beat would."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations import services
from allocations.models import Application, Scheme
from allocations.selectors.wordings import wording_current
from config.demo import Demo, DemoStep
from config.history import system_user
from residents.models import Household, Person
from residents.services import household_create, person_add

# The demo's families live on one lay-by; their references are the app's own (H-000123).
DEMO_ADDRESS = "Lay-by, A36"
DEMO_FAMILY = "Ward"


def demo_family(last_name: str) -> Household:
    """The housekeeping demo's family of that surname."""
    return Household.objects.distinct().get(
        address_line_1=DEMO_ADDRESS, people__last_name=last_name
    )


def _family(officer, lead: dict, others: list[dict], **fields) -> Household:
    household = household_create(
        by=officer,
        address_line_1=fields.pop("address_line_1", DEMO_ADDRESS),
        town="Ashford",
        postcode="TN23 4QP",
        lead=lead,
        **fields,
    )
    lead_person = household.people.get()
    for person in others:
        if person.pop("partner_of_lead", False):
            person["partner"] = lead_person
        person_add(household=household, by=officer, **person)
    return household


def _scan(number: int) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(
        f"post-scan-{number:02d}.pdf", b"%PDF-1.4\n% demo scan " + str(number).encode()
    )
    upload.detected_content_type = "application/pdf"
    return upload


def _active(officer, household: Household, registered, **need) -> Application:
    today = timezone.localdate()
    policy = services.policy_in_force(scheme=Scheme.PITCH, on=today)
    application = services.application_create(
        household=household,
        scheme=Scheme.PITCH,
        kind=Application.Kind.NEW,
        registration_date=registered,
        consent_to_enquiries=True,
        by=officer,
        # Recorded today from a paper form received earlier: its date is evidenced.
        backdate_reason="Demo: paper application form received on the registration date",
        backdate_evidence=_scan(0),
        **need,
    )
    services.application_submit(application=application, by=officer)
    answers = {item.code: {"met": True} for item in policy.policy.eligibility}
    answers |= {item.code: {"met": False} for item in policy.policy.exclusions}
    services.application_validate(application=application, answers=answers, by=officer)
    services.application_assess(
        application=application,
        criteria=[{"code": "roadside", "evidence": "Seen on the roadside by the officer"}],
        by=officer,
    )
    application.refresh_from_db()
    return application


def _plainer_renewal_reminder(admin) -> None:
    """A second version of the renewal reminder's words, in use from today."""
    current = wording_current(kind="renewal_reminder", variant="standard")
    services.wording_add(
        kind="renewal_reminder",
        variant="standard",
        subject=current.subject,
        body=current.body.replace(
            "<p>If we do not hear from you by then, your application will be put on hold: "
            "it will not be considered for offers until you answer.</p>",
            "<p><strong>If we do not hear from you by then, your application will be put on "
            "hold</strong>: it will not be considered for offers until you answer, and later it "
            "will be closed.</p>",
        ),
        email_text=current.email_text,
        effective_from=timezone.localdate(),
        reason="Households told us they missed what happens if they do not reply",
        by=admin,
    )


def housekeeping_load(demo: Demo) -> None:
    officer = demo.user("officer")
    today = timezone.localdate()
    _plainer_renewal_reminder(demo.user("admin"))
    turns_ten = today + timedelta(days=17)
    ward = _family(
        officer,
        {
            "first_name": "Rose",
            "last_name": "Ward",
            "date_of_birth": today.replace(year=1990) - timedelta(days=200),
            "sex": Person.Sex.FEMALE,
        },
        [
            {
                "first_name": "John",
                "last_name": "Ward",
                "date_of_birth": today.replace(year=1988) - timedelta(days=90),
                "relationship": Person.Relationship.PARTNER,
                "sex": Person.Sex.MALE,
                "partner_of_lead": True,
            },
            {
                "first_name": "Amy",
                "last_name": "Ward",
                "date_of_birth": turns_ten - relativedelta(years=10),
                "relationship": Person.Relationship.CHILD,
                "sex": Person.Sex.FEMALE,
            },
            {
                "first_name": "Tom",
                "last_name": "Ward",
                "date_of_birth": today - relativedelta(years=7, days=40),
                "relationship": Person.Relationship.CHILD,
                "sex": Person.Sex.MALE,
            },
        ],
    )
    # Registered a year ago less 20 days: its renewal reminder goes out now.
    _active(officer, ward, today - relativedelta(years=1) + timedelta(days=20))

    lee = _family(
        officer,
        {
            "first_name": "Sarah",
            "last_name": "Lee",
            "date_of_birth": today.replace(year=1996) - timedelta(days=30),
            "sex": Person.Sex.FEMALE,
            "pregnancy_due_date": today + timedelta(days=59),
            "pregnancy_evidence": "MATB1 form seen by the officer",
        },
        [],
    )
    _active(officer, lee, today - timedelta(days=200))

    # A son turning 18 in 24 days: from then the policy expects he may want a caravan of his
    # own, so the officer is asked ahead to reassess the pitch need (2 caravans to 3).
    loveridge = _family(
        officer,
        {
            "first_name": "Patrick",
            "last_name": "Loveridge",
            "date_of_birth": today.replace(year=1978) - timedelta(days=120),
            "sex": Person.Sex.MALE,
        },
        [
            {
                "first_name": "Bridget",
                "last_name": "Loveridge",
                "date_of_birth": today.replace(year=1980) - timedelta(days=45),
                "relationship": Person.Relationship.PARTNER,
                "sex": Person.Sex.FEMALE,
                "partner_of_lead": True,
            },
            {
                "first_name": "Jack",
                "last_name": "Loveridge",
                "date_of_birth": today + timedelta(days=24) - relativedelta(years=18),
                "relationship": Person.Relationship.CHILD,
                "sex": Person.Sex.MALE,
            },
        ],
    )
    _active(
        officer,
        loveridge,
        today - timedelta(days=300),
        caravans=2,
        vehicles=2,
        pitch_size="medium",
    )

    # Renewal date passed five days ago with no answer: the nightly run puts it on hold. Mr
    # Smith prefers to be seen: his letters wait in the officer's queue to be handed over.
    held = _family(
        officer,
        {
            "first_name": "Levi",
            "last_name": "Smith",
            "date_of_birth": today.replace(year=1979),
            "sex": Person.Sex.MALE,
        },
        [],
        preferred_contact=Household.PreferredContact.IN_PERSON,
    )
    _active(officer, held, today - relativedelta(years=1) - timedelta(days=5))

    # A renewal taken through every step in the spring: reminded, on hold, closed, and
    # reinstated within the window with its original effective date.
    closed = _family(
        officer,
        {
            "first_name": "Mary",
            "last_name": "Boswell",
            "date_of_birth": today.replace(year=1970),
            "sex": Person.Sex.FEMALE,
        },
        [],
    )
    application = _active(officer, closed, today - relativedelta(years=2) + timedelta(days=100))
    due = application.registration_date + relativedelta(years=1)
    renewal = services.renewal_remind(
        application=application, due_on=due, today=due - timedelta(days=28), by=officer
    )
    renewal = services.renewal_hold(renewal=renewal, today=due + timedelta(days=1), by=officer)
    services.renewal_close(renewal=renewal, today=due + timedelta(days=28), by=officer)
    services.renewal_receive(
        application=application,
        answered_on=due + timedelta(days=40),
        circumstances="Mrs Boswell rang: she had been in hospital. No change in the household.",
        by=officer,
    )

    # Suspended after two refusals; the suspension ends today, by itself.
    suspended = _family(
        officer,
        {
            "first_name": "Jimmy",
            "last_name": "Price",
            "date_of_birth": today.replace(year=1985),
            "sex": Person.Sex.MALE,
        },
        [],
    )
    application = _active(officer, suspended, today - timedelta(days=500))
    application.refresh_from_db()
    application.suspended_until = today
    services.application_move(
        application,
        Application.Status.SUSPENDED,
        reason="Suspended until today: two offers refused without good reason",
        by=officer,
    )

    # The day's post: business support uploads five scans; the officer files them to the Ward
    # family's application, and records the call that came with them.
    ward_application = ward.applications.get()
    scans = services.inbox_upload(uploads=[_scan(n) for n in range(1, 6)], by=demo.user("support"))
    kinds = ["identity", "address", "medical", "reference", "other"]
    for scan, kind in zip(scans[:4], kinds, strict=False):
        services.inbox_file(document=scan, application=ward_application, kind=kind, by=officer)
    services.contact_record(
        household=ward,
        application=ward_application,
        channel="phone",
        direction="in",
        occurred_at=timezone.now() - timedelta(hours=3),
        summary="Mrs Ward rang: she has posted Amy's school letter and the tenancy papers.",
        by=officer,
    )

    # Mrs Lee's vulnerability interview, a referral to tenancy sustainment (response overdue),
    # and this week's case conference, whose actions are in the officers' queues.
    lee_application = lee.applications.get()
    services.vulnerability_interview_record(
        application=lee_application,
        held_on=today - timedelta(days=14),
        interviewer=officer,
        needs_found="Anxious after an eviction from an unauthorised encampment; no GP.",
        risk="medium",
        support_in_place="None yet.",
        outcome="Referral to tenancy sustainment; help to register with a GP.",
        by=officer,
    )
    services.referral_make(
        household=lee,
        application=lee_application,
        agency="tenancy_sustainment",
        reason="Support to settle and keep a pitch; registering with a GP.",
        basis="consent",
        basis_detail="Consent form TS1 signed at the interview",
        referred_on=today - timedelta(days=14),
        response_due=today - timedelta(days=1),
        by=officer,
    )
    services.case_conference_record(
        held_on=today - timedelta(days=1),
        staff=[officer, demo.user("officer2"), demo.user("teamleader")],
        partners_attending="Northshire Children's Services (Front Door); Tenancy Sustainment",
        applications=[lee_application, ward_application],
        decisions="Lee: chase the tenancy-sustainment response. Ward: the bedroom need changes "
        "on Amy's birthday; reassess then.",
        actions=[
            {
                "title": "Chase tenancy sustainment about the Lee referral",
                "owner": officer,
                "due": today + timedelta(days=2),
            },
            {
                "title": "Reassess the Ward family after Amy's birthday",
                "owner": demo.user("officer2"),
                "due": today + timedelta(days=18),
            },
        ],
        by=officer,
    )

    system = system_user()
    services.need_changes_run(today=today, by=system)
    services.renewals_run(today=today, by=system)


HOUSEKEEPING = DemoStep(
    loaded=lambda: Household.objects.filter(
        address_line_1=DEMO_ADDRESS, people__last_name=DEMO_FAMILY
    ).exists(),
    load=housekeeping_load,
)
