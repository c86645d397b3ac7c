"""For the access matrix test: every named URL, a real URL for each, and one of every kind
of record those URLs point at, made through the services."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from allocations import services
from allocations.models import (
    AdvertPhoto,
    AllocationDecision,
    Application,
    Assessment,
    AutoBidPreference,
    BandReview,
    BedroomNeedChange,
    Bid,
    BiddingCycle,
    CaseConference,
    Correction,
    CycleNewsletter,
    DirectLet,
    DueDiligenceCheck,
    EvidenceDocument,
    ExtraCareLet,
    ExtraCarePanel,
    ExtraCarePanelItem,
    ExtraCarePanelPack,
    ExtraCareReferral,
    InboxDocument,
    Interview,
    Letter,
    LocalLettingsPlan,
    NewsletterRecipient,
    Nomination,
    Offer,
    Partner,
    PolicyVersion,
    Purchaser,
    Referral,
    RegistrationRefusal,
    Renewal,
    ResaleCase,
    ResaleNomination,
    ShortlistEntry,
    SiteVisit,
    Vacancy,
    VulnerabilityInterview,
)
from allocations.services import nominations as nomination_services
from allocations.services import resales as resale_services
from census import counting as census_counting
from census import services as census_services
from census.models import CaravanCount, CensusDifference, CensusReturn, CensusRound
from config.kernel.documents import document_render
from projects import services as project_services
from projects.models import Milestone, Project, Reminder, Risk, TaskAttachment, WorkItem
from residents.models import (
    Person,
)
from tests.access_records_lettings import (
    direct_let_records_make,
    extra_care_let_records_make,
    extra_care_records_make,
    housekeeping_records_make,
)
from tests.access_records_licences import licence_kwargs, licence_records_make
from tests.access_records_privacy import privacy_kwargs, privacy_records_make
from tests.allocations.casework import answers_as_records, checks_back
from tests.allocations.factories import (
    ActiveApplicationFactory,
    ApplicationFactory,
    VacancyFactory,
)
from tests.allocations.nominations import provider, provider_home_shortlisted
from tests.allocations.resales import purchaser, resale_case
from tests.factories import (
    PersonFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
)


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is checked on its own below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_for(name: str, site, unit) -> str:
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
    kwargs_by_name |= licence_kwargs(name, site)
    application = Application.objects.order_by("pk").first()
    assessment = Assessment.objects.order_by("pk").first()
    vacancy = Vacancy.objects.order_by("pk").first()
    kwargs_by_name |= {
        "allocations:application-create": [person.household_id],
        "allocations:application-validate": [
            Application.objects.filter(status=Application.Status.SUBMITTED).get().pk
        ],
        "allocations:evidence-download": [EvidenceDocument.objects.order_by("pk").first().pk],
        "allocations:letter-download": [
            Letter.objects.filter(application__isnull=False).order_by("pk").first().pk
        ],
        "allocations:resale-letter": [
            Letter.objects.filter(resale_case__isnull=False).order_by("pk").first().pk
        ],
        "allocations:tenancy-letter": [
            Letter.objects.filter(tenancy__isnull=False).order_by("pk").first().pk
        ],
        "allocations:override-request": [assessment.pk],
        "allocations:override-decide": [assessment.pk],
        "allocations:vacancy-create": [unit.pk],
        "allocations:shortlist-bypass": [ShortlistEntry.objects.order_by("pk").first().pk],
        "allocations:shortlist-bypass-decide": [
            ShortlistEntry.objects.filter(bypass_status="requested").get().pk
        ],
        "allocations:shortlist-bypass-undo": [
            ShortlistEntry.objects.filter(bypass_status="requested").get().pk
        ],
        "allocations:policy-detail": [PolicyVersion.objects.order_by("pk").first().pk],
        "allocations:policy-publish": [PolicyVersion.objects.order_by("pk").first().pk],
        "allocations:core-export-csv": [2026],
        "allocations:vacancy-core": [vacancy.pk],
        "allocations:application-core": [application.pk],
        "allocations:application-consent": [application.pk],
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
                "allocations:core-answers",
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
    if name.startswith("allocations:need-change-"):
        kwargs_by_name[name] = [BedroomNeedChange.objects.order_by("pk").first().pk]
    if name.startswith("allocations:registration-review-"):
        kwargs_by_name[name] = [RegistrationRefusal.objects.order_by("pk").first().pk]
    if name == "allocations:band-review-request":
        kwargs_by_name[name] = [BandReview.objects.order_by("pk").first().assessment_id]
    if name == "allocations:band-review-decide":
        kwargs_by_name[name] = [BandReview.objects.order_by("pk").first().pk]
    if name == "allocations:effective-date-backdate":
        kwargs_by_name[name] = [RegistrationRefusal.objects.order_by("pk").first().application_id]
    if name in {"allocations:renewal-detail", "allocations:renewal-history"}:
        kwargs_by_name[name] = [Renewal.objects.order_by("pk").first().pk]
    if name.startswith("allocations:inbox-") and name not in {
        "allocations:inbox-list",
        "allocations:inbox-upload",
    }:
        kwargs_by_name[name] = [InboxDocument.objects.order_by("pk").first().pk]
    if name in {"allocations:communications", "allocations:contact-create"}:
        kwargs_by_name[name] = [person.household_id]
    if name in {
        "allocations:post-room-letter",
        "allocations:letter-posted",
        "allocations:letter-send-again",
    }:
        kwargs_by_name[name] = [Letter.objects.order_by("pk").first().pk]
    if name == "allocations:letter-handed-over":
        kwargs_by_name[name] = [
            Letter.objects.filter(delivery=Letter.Delivery.TO_HAND_OVER).order_by("pk").first().pk
        ]
    if name in {"allocations:wording-history", "allocations:wording-new"}:
        kwargs_by_name[name] = ["offer", "easy_read"]
    support = {
        "allocations:vulnerability-detail": VulnerabilityInterview,
        "allocations:referral-detail": Referral,
        "allocations:referral-response": Referral,
        "allocations:referral-history": Referral,
        "allocations:conference-detail": CaseConference,
    }
    if name in support:
        kwargs_by_name[name] = [support[name].objects.order_by("pk").first().pk]
    if name == "allocations:referral-create":
        kwargs_by_name[name] = [person.household_id]
    if name in {
        "allocations:evidence-upload",
        "allocations:renewal-receive",
        "allocations:vulnerability-create",
    }:
        kwargs_by_name[name] = [application.pk]
    if name in {"allocations:bid-create", "allocations:shortlist-replay"} or name.startswith(
        "allocations:advert-"
    ):
        kwargs_by_name[name] = [vacancy.pk]
    if name.startswith("allocations:cycle-") and not name.endswith(("-list", "-create")):
        kwargs_by_name[name] = [BiddingCycle.objects.order_by("pk").first().pk]
    if name in {"allocations:newsletter-publish"}:
        kwargs_by_name[name] = [BiddingCycle.objects.order_by("pk").first().pk]
    if name.startswith("allocations:resale-nomination-"):
        kwargs_by_name[name] = [ResaleNomination.objects.order_by("pk").first().pk]
    elif name.startswith("allocations:resale-") and not name.endswith(
        ("-list", "-create", "-letter")
    ):
        kwargs_by_name[name] = [ResaleCase.objects.order_by("pk").first().pk]
    if name == "allocations:application-correction-create":
        kwargs_by_name[name] = [application.pk]
    if name.startswith("allocations:correction-") and name != "allocations:correction-list":
        kwargs_by_name[name] = [Correction.objects.order_by("pk").first().pk]
    if name in {"allocations:purchaser-edit", "allocations:purchaser-history"}:
        kwargs_by_name[name] = [Purchaser.objects.order_by("pk").first().pk]
    if name in ("allocations:lettings-plan-edit", "allocations:lettings-plan-approve"):
        kwargs_by_name[name] = [LocalLettingsPlan.objects.order_by("pk").first().pk]
    if name == "allocations:let-result-publish":
        kwargs_by_name[name] = [vacancy.pk]
    nomination = Nomination.objects.order_by("pk").first()
    if name.startswith(("allocations:nomination-", "allocations:provider-nomination-")) and (
        not name.endswith("-list")
    ):
        kwargs_by_name[name] = [nomination.pk]
    if name == "allocations:nomination-create":
        kwargs_by_name[name] = [nomination.vacancy_id]
    if name == "allocations:provider-report":
        kwargs_by_name[name] = [nomination.provider_id]
    if name == "allocations:newsletter-download":
        kwargs_by_name[name] = [CycleNewsletter.objects.order_by("pk").first().pk]
    if name == "allocations:newsletter-recipient-stop":
        kwargs_by_name[name] = [NewsletterRecipient.objects.order_by("pk").first().pk]
    extra_care = {
        "allocations:extracare-referral-detail": ExtraCareReferral,
        "allocations:extracare-panel-detail": ExtraCarePanel,
        "allocations:extracare-pack-request": ExtraCarePanel,
        "allocations:extracare-decision": ExtraCarePanelItem,
        "allocations:extracare-pack-download": ExtraCarePanelPack,
        "allocations:extracare-let-detail": ExtraCareLet,
        "allocations:extracare-let-history": ExtraCareLet,
        "allocations:direct-let-detail": DirectLet,
        "allocations:direct-let-history": DirectLet,
        "allocations:direct-let-close": DirectLet,
    }
    if name in extra_care:
        kwargs_by_name[name] = [extra_care[name].objects.order_by("pk").first().pk]
    if name == "allocations:advert-photo":
        kwargs_by_name[name] = [AdvertPhoto.objects.order_by("pk").first().pk]
    if name == "allocations:bid-withdraw":
        kwargs_by_name[name] = [Bid.objects.order_by("pk").first().pk]
    if name == "allocations:connection-create":
        kwargs_by_name[name] = [application.pk]
    if name == "allocations:connection-end":
        ended = application.household.connections.order_by("pk").first()
        kwargs_by_name[name] = [application.pk, ended.pk]
    if name == "allocations:application-auto-bids":
        kwargs_by_name[name] = [AutoBidPreference.objects.order_by("pk").first().application_id]
    if name in {"allocations:connection-exemption", "allocations:access-needs-record"}:
        kwargs_by_name[name] = [application.pk]
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
    kwargs_by_name |= privacy_kwargs(name)
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    return reverse(name, args=kwargs_by_name.get(name, []))


def answers_all_no() -> dict:
    policy = services.policy_in_force(scheme="pitch", on=timezone.localdate())
    return {
        item["code"]: {"met": False}
        for item in policy.rules["eligibility"] + policy.rules["exclusions"]
    }


def access_records_make():
    """One of every kind of record a URL can point at, made through the services (the caller
    points MEDIA_ROOT somewhere temporary first)."""
    unit = UnitFactory()
    person = PersonFactory(household__unit=unit)
    recorder = UserFactory(username="recorder")
    application = ActiveApplicationFactory(household=person.household)
    services.application_assess(application=application, criteria=[], by=recorder)
    services.connection_record(
        household=application.household,
        kind="residence",
        parish="Cheriton",
        since=date(2020, 5, 1),
        evidence_seen="Council tax bill",
        by=recorder,
    )
    # A lettings household the council auto-bids for (its Auto-bidding page).
    services.auto_bid_preference_save(
        application=ActiveApplicationFactory(scheme="cbl"),
        group="cannot_bid",
        areas=["Cheriton"],
        reason="Cannot bid for themselves: support worker's letter",
        by=recorder,
        last_change_seen=None,
    )
    services.access_needs_record(
        application=application,
        category="c",
        assessment="Occupational therapist, 12 October 2026: needs level access",
        by=recorder,
    )
    services.connection_exemption_record(
        application=application, group="care_leaver", reason="Leaving care team", by=recorder
    )
    services.evidence_attach(
        application=application,
        kind="identity",
        description="Passport",
        upload=SimpleUploadedFile("passport.pdf", b"%PDF-1.4 passport"),
        by=recorder,
    )
    invalid = ApplicationFactory(status=Application.Status.SUBMITTED, household=person.household)
    services.application_validate(application=invalid, answers=answers_all_no(), by=recorder)
    document_render(model="allocations.Letter", pk=Letter.objects.get().pk)  # the first letter
    # A letter waiting to be handed over in person (its page is for those letters only).
    Letter.objects.create(
        application=invalid,
        kind=Letter.Kind.INVALID,
        context={"lead_name": "Mary Smith"},
        channel=Letter.Channel.BY_HAND,
        delivery=Letter.Delivery.TO_HAND_OVER,
        requested_by=recorder,
    )
    vacancy = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=vacancy, application=application, by=recorder)
    (entry,) = services.shortlist_freeze(vacancy=vacancy, by=recorder)
    services.lettings_plan_save(
        name="Shorncliffe new homes", area="Cheriton", work_or_volunteering="priority", by=recorder
    )
    # A bidding cycle to come, and a photo on the advert.
    cycle = services.cycle_next_create(by=recorder)
    newsletter = CycleNewsletter.objects.create(
        cycle=cycle, edition="standard", context={}, requested_by=recorder
    )
    document_render(model="allocations.CycleNewsletter", pk=newsletter.pk)
    services.newsletter_recipient_add(
        name="Folkestone Library",
        kind="library",
        email="library@example.org",
        edition="standard",
        by=recorder,
    )
    extra_care_records_make(application, recorder)
    direct_let_records_make(recorder)
    advert_photo = SimpleUploadedFile("home.png", b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    advert_photo.detected_content_type = "image/png"
    services.advert_photo_add(
        vacancy=vacancy, upload=advert_photo, description="The kitchen", by=recorder
    )
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
        answers=answers_as_records(offer),
        reasons="First on the shortlist",
        by=recorder,
    )
    # A second shortlist whose top applicant's bypass waits for a team leader.
    other = VacancyFactory(status=Vacancy.Status.ADVERTISED)
    services.bid_place(vacancy=other, application=ActiveApplicationFactory(), by=recorder)
    (waiting,) = services.shortlist_freeze(vacancy=other, by=recorder)
    services.shortlist_bypass(entry=waiting, reason="Pitch too small", by=recorder)
    housekeeping_records_make(application, recorder)
    # A lettings household's band assessment whose review waits for a team leader.
    band_assessment = services.application_assess(
        application=ActiveApplicationFactory(scheme="cbl"),
        criteria=[{"code": "serious_overcrowding", "evidence": "Seen at the home visit"}],
        by=recorder,
    )
    services.band_review_request(
        assessment=band_assessment,
        requested_on=timezone.localdate(),
        grounds="Our son has moved back in",
        by=recorder,
    )
    extra_care_let_records_make(recorder)
    # Its valuation and nomination follow the notice, and a step is never dated ahead.
    resale = resale_case(recorder, notice_on=timezone.localdate() - timedelta(days=10))
    resale_services.resale_nominate(
        case=resale,
        purchaser=purchaser(recorder),
        on=resale.notice_on + timedelta(days=4),
        by=recorder,
    )
    for letter in resale.letters.order_by("pk")[:1]:  # its download page serves a PDF
        document_render(model="allocations.Letter", pk=letter.pk)
    # A registered provider's home nominated from its frozen shortlist (the provider_staff
    # user of tests/conftest.py works for this provider).
    provider_vacancy, _ = provider_home_shortlisted(recorder, provider(), bidders=2)
    nomination_services.nomination_next(vacancy=provider_vacancy, by=recorder)
    # Work is owned, and a project led, by someone who may do it (the recorder holds no role).
    owner = UserFactory(username="work_owner", roles=["officer"])
    project = project_services.project_create(name="Site improvements", lead=owner, by=recorder)
    task = project_services.project_task_create(
        project=project,
        title="Survey pitches",
        due_on=date(2026, 12, 1),
        assignee=owner,
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
        owner=owner,
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
        second_officer=second,
        new_people=[{"name": "John Smith", "approximate_age": 30}],
        by=recorder,
    )
    census_services.return_submit(census_return=census_return, by=recorder)
    census_counting.caravan_counts_derive(
        census_round=census_round, count_date=date(2026, 1, 15), by=recorder
    )
    licence_records_make(unit, recorder)
    privacy_records_make(recorder)
    # An application awaiting validation: only a submitted one is validated.
    ApplicationFactory(status=Application.Status.SUBMITTED, household=person.household)
    return unit.site, unit
