"""Records for the access matrix's lettings pages (tests/access_records.py): Extra Care and
the register's housekeeping, one of each kind so every URL with an argument has a record."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations import rules, services
from config.kernel.documents import document_render
from tests.allocations.factories import ActiveApplicationFactory, VacancyFactory


def extra_care_records_make(application, recorder) -> None:
    """An Extra Care referral on a panel held today, decided, with its pack drawn."""
    today = timezone.localdate()
    referral = services.extracare_referral_make(
        application=application,
        referred_by="J. Patel, Adult Social Care",
        referred_on=today,
        care_hours_per_week=Decimal("14"),
        needs_summary="Help with washing and medication",
        by=recorder,
    )
    panel = services.extracare_panel_record(
        held_on=today,
        staff=[recorder],
        partner_members="A. Care, Care provider",
        referrals=[referral],
        by=recorder,
    )
    services.extracare_decision_record(
        item=panel.items.get(),
        decision="approve",
        reasons="Meets the criteria",
        ranking=1,
        by=recorder,
    )
    pack = services.extracare_pack_request(panel=panel, by=recorder)
    document_render(model="allocations.ExtraCarePanelPack", pk=pack.pk)


def extra_care_let_records_make(recorder) -> None:
    """An Extra Care home offered from a panel's ranking (its own household, approved and
    ranked first on a panel held today, with its checks back)."""
    from sites.models import Unit
    from tests.allocations.casework import checks_back
    from tests.factories import HomeFactory

    today = timezone.localdate()
    application = ActiveApplicationFactory()
    checks_back(application, recorder)
    referral = services.extracare_referral_make(
        application=application,
        referred_by="R. Hale, Hospital discharge team",
        referred_on=today,
        care_hours_per_week=Decimal("10"),
        needs_summary="Personal care after a hip replacement",
        by=recorder,
    )
    panel = services.extracare_panel_record(
        held_on=today,
        staff=[recorder],
        partner_members="A. Care, Care provider",
        referrals=[referral],
        by=recorder,
    )
    services.extracare_decision_record(
        item=panel.items.get(), decision="approve", reasons="Eligible", ranking=1, by=recorder
    )
    home = HomeFactory(
        extra_care=True,
        status=Unit.Status.VOID,
        void_date=today - timedelta(days=5),
        void_reason=Unit.VoidReason.CARE_HOME,
    )
    vacancy = services.vacancy_create(
        unit=home,
        scheme=application.scheme,
        advert_text="An Extra Care flat",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        by=recorder,
    )
    services.extracare_let_make(vacancy=vacancy, respond_by=today + timedelta(days=7), by=recorder)


def housekeeping_records_make(application, recorder) -> None:
    """A bedroom-need change ahead and a renewal reminded (issue 15)."""
    today = timezone.localdate()
    services.need_change_alert(
        application=application,
        change=rules.NeedChange(
            on=today + timedelta(days=5),
            before=2,
            after=3,
            reasons=("Amy Ward turns 10",),
            expected_child=False,
        ),
        by=recorder,
    )
    services.renewal_remind(
        application=application, due_on=today + timedelta(days=10), today=today, by=recorder
    )
    # An effective date corrected after the fact, awaiting a remedy (issue 16).
    services.application_dates_change(
        application=application,
        effective_date=application.effective_date + timedelta(days=31),
        reason="The form was received a month later",
        by=recorder,
    )
    # A lettings household assessed with no housing need: refused registration (issue 13).
    services.application_assess(
        application=ActiveApplicationFactory(scheme="cbl"), criteria=[], by=recorder
    )
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    upload.detected_content_type = "application/pdf"
    services.inbox_upload(uploads=[upload], by=recorder)
    services.vulnerability_interview_record(
        application=application,
        held_on=today,
        interviewer=recorder,
        needs_found="Anxiety after an eviction",
        risk="medium",
        outcome="Referred for tenancy sustainment",
        by=recorder,
    )
    services.referral_make(
        household=application.household,
        application=application,
        agency="tenancy_sustainment",
        reason="Support to keep a tenancy",
        basis="consent",
        basis_detail="Consent form TS1",
        referred_on=today,
        response_due=today + timedelta(days=14),
        by=recorder,
    )
    services.case_conference_record(
        held_on=today,
        staff=[recorder],
        applications=[application],
        decisions="Refer for support",
        actions=[{"title": "Chase the referral", "owner": recorder, "due": today}],
        by=recorder,
    )


def direct_let_records_make(recorder) -> None:
    """A direct let proposed by the recorder, waiting for a team leader (so a team leader's
    empty POST on its page is a refused form, and everyone else's a 403)."""
    services.direct_let_propose(
        vacancy=VacancyFactory(),
        application=ActiveApplicationFactory(),
        reason="emergency",
        details="Fleeing violence: needs a home away from the current address",
        by=recorder,
    )
