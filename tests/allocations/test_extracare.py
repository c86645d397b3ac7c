"""Extra Care housing panels (issue 14): referrals, panels, decisions and the panel pack."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from allocations import services
from allocations.forms.extracare import referrals_awaiting_panel
from allocations.models import ExtraCarePanelItem, ExtraCarePanelPack, ExtraCareReferral
from config.kernel.documents import document_render
from config.models import OutboxJob
from residents.models import SpecialCategoryView
from residents.selectors import household_name
from tests.allocations.factories import ActiveApplicationFactory
from tests.factories import UserFactory
from tests.races import saved_by_someone_else_meanwhile

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)
NEEDS = "Needs help with medication four times a day after a stroke"


def _referral(by, application=None) -> ExtraCareReferral:
    return services.extracare_referral_make(
        application=application or ActiveApplicationFactory(),
        referred_by="J. Patel, Adult Social Care",
        referred_on=TODAY - timedelta(days=10),
        care_hours_per_week=Decimal("14.5"),
        needs_summary=NEEDS,
        by=by,
    )


def _panel(by, referrals):
    return services.extracare_panel_record(
        held_on=TODAY,
        staff=[by],
        partner_members="A. Khan, Northshire Adult Social Care\nB. Jones, Carewell (provider)",
        referrals=referrals,
        by=by,
    )


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_referral_with_impossible_care_hours_and_no_needs_is_refused_with_both(officer):
    with pytest.raises(ValidationError) as refused:
        services.extracare_referral_make(
            application=ActiveApplicationFactory(),
            referred_by="J. Patel",
            referred_on=TODAY,
            care_hours_per_week=Decimal("200"),
            needs_summary=" ",
            by=officer,
        )
    assert set(refused.value.message_dict) == {"care_hours_per_week", "needs_summary"}


def test_a_decision_needs_reasons_and_an_approval_needs_its_place_in_the_ranking(officer):
    panel = _panel(officer, [_referral(officer)])
    item = panel.items.get()
    with pytest.raises(ValidationError) as refused:
        services.extracare_decision_record(item=item, decision="approve", reasons="", by=officer)
    assert set(refused.value.message_dict) == {"reasons", "ranking"}
    services.extracare_decision_record(
        item=item, decision="approve", reasons="Meets the criteria", ranking=1, by=officer
    )
    item.refresh_from_db()
    assert (item.decision, item.ranking, item.decided_by) == ("approve", 1, officer)
    assert item.history.first().history_change_reason == "Panel decision: approved"


def test_two_approved_referrals_cannot_share_a_place_and_a_declined_one_is_not_ranked(officer):
    panel = _panel(officer, [_referral(officer), _referral(officer), _referral(officer)])
    first, second, third = panel.items.order_by("pk")
    services.extracare_decision_record(
        item=first, decision="approve", reasons="Eligible", ranking=1, by=officer
    )
    with pytest.raises(ValidationError, match="already number 1"):
        services.extracare_decision_record(
            item=second, decision="approve", reasons="Eligible", ranking=1, by=officer
        )
    with pytest.raises(ValidationError, match="Only an approved referral is ranked"):
        services.extracare_decision_record(
            item=third, decision="decline", reasons="Care needs too high", ranking=2, by=officer
        )


def test_the_panel_pack_is_requested_once_and_drawn_through_the_outbox(officer):
    panel = _panel(officer, [_referral(officer)])
    pack = services.extracare_pack_request(panel=panel, by=officer)
    with pytest.raises(ValidationError, match="already been requested"):
        services.extracare_pack_request(panel=panel, by=officer)
    assert ExtraCarePanelPack.objects.count() == 1
    assert OutboxJob.objects.filter(task="config.tasks.document_render").count() == 1
    assert pack.context["referrals"][0]["needs"] == NEEDS


def test_the_referral_form_keeps_what_was_typed_when_the_reference_is_unknown(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-referral-create"),
        {
            "application_reference": "CBL-999999",
            "referred_by": "J. Patel",
            "referred_on_0": "1",
            "referred_on_1": "12",
            "referred_on_2": "2026",
            "care_hours_per_week": "12",
            "needs_summary": NEEDS,
        },
    )
    assert response.status_code == 400
    assert b"No application with reference CBL-999999" in response.content
    assert NEEDS.encode() in response.content


def test_the_assessment_is_shown_only_with_special_category_and_each_showing_is_logged(
    client, officer, auditor
):
    referral = _referral(officer)
    reader = UserFactory(username="reader")
    reader.user_permissions.add(
        Permission.objects.get(codename="view_extracarereferral"),
        Permission.objects.get(codename="view_extracarepanel"),
        Permission.objects.get(codename="view_extracarepanelpack"),
    )
    url = reverse("allocations:extracare-referral-detail", args=[referral.pk])
    client.force_login(reader)
    page = client.get(url)
    assert page.status_code == 200
    assert NEEDS.encode() not in page.content
    assert not SpecialCategoryView.objects.filter(user=reader).exists()

    client.force_login(auditor)
    assert NEEDS.encode() in client.get(url).content
    assert SpecialCategoryView.objects.filter(user=auditor, where="extra care referral").exists()


def test_the_panel_page_shows_the_minutes_and_the_pack_downloads_only_for_the_panels_roles(
    client, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    panel = _panel(officer, [_referral(officer)])
    item = panel.items.get()
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-decision", args=[item.pk]),
        {"decision": "defer", "reasons": "Awaiting the OT's report", "ranking": ""},
    )
    assert response.status_code == 302
    assert ExtraCarePanelItem.objects.get().decision == "defer"
    page = client.get(panel.get_absolute_url())
    assert b"Awaiting the OT&#x27;s report" in page.content
    assert SpecialCategoryView.objects.filter(user=officer, where="extra care panel").exists()

    pack = services.extracare_pack_request(panel=panel, by=officer)
    document_render(model="allocations.ExtraCarePanelPack", pk=pack.pk)
    url = reverse("allocations:extracare-pack-download", args=[pack.pk])
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_extracarepanelpack"))
    client.force_login(reader)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert SpecialCategoryView.objects.filter(user=officer, where="extra care panel pack").exists()


def test_the_referral_list_searches_by_reference_and_says_when_nothing_matches(client, officer):
    referral = _referral(officer)
    client.force_login(officer)
    url = reverse("allocations:extracare-referral-list")
    assert referral.application.reference.encode() in client.get(url).content
    page = client.get(url, {"reference": "NO-SUCH"})
    assert b"No Extra Care referral matches that reference" in page.content


def test_changing_a_decision_starts_from_the_minutes_as_recorded(client, officer):
    item = _panel(officer, [_referral(officer)]).items.get()
    reasons = "Eligible: stairs at home unsafe; care needs met by the on-site team."
    services.extracare_decision_record(
        item=item, decision="approve", reasons=reasons, ranking=3, by=officer
    )
    client.force_login(officer)
    page = client.get(reverse("allocations:extracare-decision", args=[item.pk])).content.decode()
    assert re.search(r'value="approve"\s+checked', page)
    assert reasons in page
    assert 'name="ranking" value="3"' in page


def test_a_referral_on_a_panels_agenda_not_yet_decided_is_not_put_on_another(officer):
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000101"))
    first = _panel(officer, [referral])
    panels, items = first.__class__.objects.count(), ExtraCarePanelItem.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.extracare_panel_record(
            held_on=TODAY + timedelta(days=28),
            staff=[officer],
            partner_members="A. Khan, Northshire Adult Social Care",
            referrals=[referral],
            by=officer,
        )
    assert refused.value.message_dict["referrals"] == [
        f"{household_name(referral.application.household)}'s referral is already on the "
        "agenda of the Extra Care panel on "
        "3 December 2026, which has not decided it: record that panel's decision (or defer "
        "it) before putting it on another agenda."
    ]
    assert (first.__class__.objects.count(), ExtraCarePanelItem.objects.count()) == (
        panels,
        items,
    )
    # Deferred, it is decided there and may go to the next panel.
    services.extracare_decision_record(
        item=first.items.get(), decision="defer", reasons="Awaiting the OT report", by=officer
    )
    later = services.extracare_panel_record(
        held_on=TODAY + timedelta(days=28),
        staff=[officer],
        partner_members="A. Khan, Northshire Adult Social Care",
        referrals=[referral],
        by=officer,
    )
    assert list(later.referrals.all()) == [referral]


def test_the_panel_form_says_which_panel_already_has_the_referral_and_keeps_the_rest(
    client, officer
):
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000102"))
    _panel(officer, [referral])
    panels = ExtraCarePanelItem.objects.values("panel").distinct().count()
    client.force_login(officer)
    next_month = TODAY + timedelta(days=28)
    response = client.post(
        reverse("allocations:extracare-panel-create"),
        {
            "held_on_0": next_month.day,
            "held_on_1": next_month.month,
            "held_on_2": next_month.year,
            "staff": [officer.pk],
            "partner_members": "A. Khan, Northshire Adult Social Care",
            "referrals": [referral.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is already on the agenda of the Extra Care panel on 3 December 2026" in page
    assert "A. Khan, Northshire Adult Social Care" in page
    assert ExtraCarePanelItem.objects.values("panel").distinct().count() == panels


def _deferred_then_on_the_next_agenda(officer, reference):
    """A referral deferred by this month's panel and put on next month's agenda."""
    referral = _referral(officer, ActiveApplicationFactory(reference=reference))
    deferred = _panel(officer, [referral]).items.get()
    services.extracare_decision_record(
        item=deferred, decision="defer", reasons="Awaiting the OT report", by=officer
    )
    later = services.extracare_panel_record(
        held_on=TODAY + timedelta(days=28),
        staff=[officer],
        partner_members="A. Khan, Northshire Adult Social Care",
        referrals=[referral],
        by=officer,
    )
    return deferred, later.items.get()


def test_a_deferral_is_not_changed_to_an_approval_while_the_next_panel_has_it_to_decide(
    officer,
):
    # Approved here, it would be ranked and offered a home while next month's panel, the one
    # it was deferred to, still had it to decide (and that panel's decision would then count).
    deferred, later = _deferred_then_on_the_next_agenda(officer, "EC-000103")
    with pytest.raises(ValidationError) as refused:
        services.extracare_decision_record(
            item=deferred, decision="approve", reasons="OT report in", ranking=1, by=officer
        )
    assert refused.value.message_dict["decision"] == [
        f"{household_name(deferred.referral.application.household)}'s referral is on the "
        "agenda of the Extra Care panel on 31 December 2026, "
        "which has not decided it: record that panel's decision there. Approved here, it "
        "would be ranked for offers while that panel still has it to decide."
    ]
    deferred.refresh_from_db()
    assert (deferred.decision, deferred.ranking, deferred.history.count()) == ("defer", None, 2)
    assert services.extracare_waiting() == []
    # Changed to a decline it is not ranked, and the next panel still decides it.
    services.extracare_decision_record(
        item=deferred, decision="decline", reasons="Recorded in error", by=officer
    )
    with time_machine.travel(TODAY + timedelta(days=28), tick=False):
        services.extracare_decision_record(
            item=later, decision="approve", reasons="OT report in", ranking=1, by=officer
        )
        # Once the next panel has decided, the earlier minutes may be put right.
        services.extracare_decision_record(
            item=deferred, decision="approve", reasons="As minuted", ranking=1, by=officer
        )
        assert services.extracare_waiting() == [later]


def test_earlier_minutes_put_right_after_a_later_deferral_leave_the_referral_for_a_new_agenda(
    officer,
):
    # Deferred this month and again next month; this month's minutes are then corrected to an
    # approval. The latest panel's decision counts: the referral is not ranked, and it must
    # still go on the agenda of the panel after next, listed on its form, not be stuck.
    deferred, later = _deferred_then_on_the_next_agenda(officer, "EC-000109")
    next_month = TODAY + timedelta(days=28)
    with time_machine.travel(next_month, tick=False):
        services.extracare_decision_record(
            item=later, decision="defer", reasons="Still awaiting the OT report", by=officer
        )
        services.extracare_decision_record(
            item=deferred, decision="approve", reasons="As minuted", ranking=1, by=officer
        )
        assert services.extracare_waiting() == []
        assert deferred.referral in referrals_awaiting_panel()
        third = services.extracare_panel_record(
            held_on=next_month + timedelta(days=28),
            staff=[officer],
            partner_members="A. Khan, Northshire Adult Social Care",
            referrals=[deferred.referral],
            by=officer,
        )
    assert list(third.referrals.all()) == [deferred.referral]


def test_the_decision_page_says_which_panel_has_the_deferred_referral_now(client, officer):
    deferred, _later = _deferred_then_on_the_next_agenda(officer, "EC-000104")
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-decision", args=[deferred.pk]),
        {"decision": "approve", "reasons": "OT report in", "ranking": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        f"{household_name(deferred.referral.application.household)}&#x27;s referral is on the "
        "agenda of the Extra Care panel on 31 December 2026" in page
    )
    assert "OT report in" in page
    deferred.refresh_from_db()
    assert (deferred.decision, deferred.reasons) == ("defer", "Awaiting the OT report")


def _approved(officer, reference):
    """A referral this month's panel approved, number 1 in its ranking: its panel item."""
    item = _panel(officer, [_referral(officer, ActiveApplicationFactory(reference=reference))])
    item = item.items.get()
    return services.extracare_decision_record(
        item=item, decision="approve", reasons="Meets the criteria", ranking=1, by=officer
    )


def test_an_approved_referral_is_not_put_on_a_later_panels_agenda(officer):
    # On next month's agenda it stayed ranked, and could be offered a home, while that panel
    # had it to decide.
    approved = _approved(officer, "EC-000105")
    counts = (ExtraCarePanelItem.objects.count(), approved.panel.__class__.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.extracare_panel_record(
            held_on=TODAY + timedelta(days=28),
            staff=[officer],
            partner_members="A. Khan, Northshire Adult Social Care",
            referrals=[approved.referral],
            by=officer,
        )
    assert refused.value.message_dict["referrals"] == [
        "EC-000105's referral was approved at the Extra Care panel on 3 December 2026 "
        "(number 1 in its ranking): an approved referral is offered Extra Care homes from "
        "that ranking, not put on another panel's agenda."
    ]
    assert (
        ExtraCarePanelItem.objects.count(),
        approved.panel.__class__.objects.count(),
    ) == counts
    assert services.extracare_waiting() == [approved]


def test_a_declined_referral_is_not_put_on_another_agenda_but_referred_again(officer):
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000106"))
    services.extracare_decision_record(
        item=_panel(officer, [referral]).items.get(),
        decision="decline",
        reasons="Needs are met at home",
        by=officer,
    )
    with pytest.raises(ValidationError) as refused:
        _panel(officer, [referral])
    assert refused.value.message_dict["referrals"] == [
        "EC-000106's referral was declined at the Extra Care panel on 3 December 2026: a "
        "declined referral is not put on another panel's agenda (if social care refers the "
        "household again, record a new referral)."
    ]
    assert ExtraCarePanelItem.objects.filter(referral=referral).count() == 1
    # Referred again, the new referral goes on the agenda.
    again = _referral(officer, referral.application)
    assert list(_panel(officer, [again]).referrals.all()) == [again]


def test_the_panel_form_says_a_referral_approved_since_it_was_drawn_is_ranked_and_keeps_the_rest(
    client, officer
):
    # Listed while deferred; approved (its minutes put right) before the form was sent.
    deferred_referral = _referral(officer, ActiveApplicationFactory(reference="EC-000107"))
    deferred = _panel(officer, [deferred_referral]).items.get()
    services.extracare_decision_record(
        item=deferred, decision="defer", reasons="Awaiting the OT report", by=officer
    )
    other = _referral(officer, ActiveApplicationFactory(reference="EC-000108"))
    url = reverse("allocations:extracare-panel-create")
    client.force_login(officer)
    drawn = client.get(url).content.decode()
    assert "EC-000107" in drawn and "EC-000108" in drawn
    services.extracare_decision_record(
        item=deferred, decision="approve", reasons="OT report in", ranking=1, by=officer
    )
    items = ExtraCarePanelItem.objects.count()
    next_month = TODAY + timedelta(days=28)
    response = client.post(
        url,
        {
            "held_on_0": next_month.day,
            "held_on_1": next_month.month,
            "held_on_2": next_month.year,
            "staff": [officer.pk],
            "partner_members": "A. Khan, Northshire Adult Social Care",
            "referrals": [deferred_referral.pk, other.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "EC-000107&#x27;s referral was approved at the Extra Care panel on 3 December 2026 "
        "(number 1 in its ranking)" in page
    )
    assert "A. Khan, Northshire Adult Social Care" in page
    assert re.search(rf'value="{other.pk}"[^>]*checked', page)
    assert ExtraCarePanelItem.objects.count() == items


def test_a_deferred_referral_off_every_agenda_still_waits_and_a_second_is_refused(officer):
    # Deferred and not yet on another agenda, it was not caught: a second referral was
    # recorded for the same household.
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000120"))
    services.extracare_decision_record(
        item=_panel(officer, [referral]).items.get(),
        decision="defer",
        reasons="Awaiting the OT report",
        by=officer,
    )
    with pytest.raises(ValidationError) as refused:
        _referral(officer, referral.application)
    assert refused.value.message_dict["application"] == [
        f"{household_name(referral.application.household)} already has an Extra Care "
        "referral waiting for a panel's decision (referred on 23 November 2026): a panel "
        "decides that referral before another is recorded"
    ]
    assert ExtraCareReferral.objects.count() == 1


def test_the_referral_form_refuses_a_second_referral_for_a_deferred_household_keeping_input(
    client, officer
):
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000121"))
    services.extracare_decision_record(
        item=_panel(officer, [referral]).items.get(),
        decision="defer",
        reasons="Awaiting the OT report",
        by=officer,
    )
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-referral-create"),
        {
            "application_reference": "EC-000121",
            "referred_by": "J. Patel",
            "referred_on_0": "1",
            "referred_on_1": "12",
            "referred_on_2": "2026",
            "care_hours_per_week": "12",
            "needs_summary": NEEDS,
        },
    )
    assert response.status_code == 400
    assert b"waiting for a panel&#x27;s decision" in response.content
    assert NEEDS.encode() in response.content
    assert ExtraCareReferral.objects.count() == 1


def test_two_officers_recording_a_referral_for_one_household_at_once_make_one(
    transactional_db, officer
):
    application = ActiveApplicationFactory(reference="EC-000122")
    others: list[object] = []

    def other_officer() -> None:
        try:
            others.append(_referral(officer, application))
        except Exception as error:  # reported by the assertion below
            others.append(error)
        finally:
            connection.close()

    with saved_by_someone_else_meanwhile(ExtraCareReferral, other_officer):
        mine = _referral(officer, application)
    assert mine.pk is not None
    (refusal,) = others
    assert isinstance(refusal, ValidationError)
    assert "already has an Extra Care referral waiting" in refusal.message_dict["application"][0]
    assert ExtraCareReferral.objects.get() == mine


def test_two_decisions_given_one_place_in_the_ranking_at_once_refuse_the_second(
    transactional_db, officer
):
    from allocations.models import ExtraCarePanelItem as Item

    panel = _panel(officer, [_referral(officer), _referral(officer)])
    first, second = panel.items.order_by("pk")
    others: list[object] = []

    def other_member() -> None:
        try:
            others.append(
                services.extracare_decision_record(
                    item=first, decision="approve", reasons="Eligible", ranking=1, by=officer
                )
            )
        except Exception as error:  # reported by the assertions below
            others.append(error)
        finally:
            connection.close()

    # The other member's decision starts as this one is saved, once its checks have passed.
    with saved_by_someone_else_meanwhile(Item, other_member, updates=True):
        services.extracare_decision_record(
            item=second, decision="approve", reasons="Eligible", ranking=1, by=officer
        )
    (refusal,) = others
    # Told who holds the place, not a server error.
    assert isinstance(refusal, ValidationError), repr(refusal)
    assert refusal.message_dict["ranking"] == [
        "Another referral is already number 1 in the ranking"
    ]
    assert list(panel.items.order_by("pk").values_list("ranking", flat=True)) == [None, 1]


def test_a_panel_dated_before_a_referral_on_its_agenda_is_refused_keeping_what_was_typed(
    client, officer
):
    referral = _referral(officer, ActiveApplicationFactory(reference="EC-000131"))
    client.force_login(officer)
    # A slip of the year: 2025 for 2026, before the referral of 23 November 2026.
    response = client.post(
        reverse("allocations:extracare-panel-create"),
        {
            "held_on_0": TODAY.day,
            "held_on_1": TODAY.month,
            "held_on_2": TODAY.year - 1,
            "staff": [officer.pk],
            "partner_members": "A. Khan, Northshire Adult Social Care",
            "referrals": [referral.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "The panel&#x27;s date, 3 December 2025, is before "
        f"{household_name(referral.application.household)}&#x27;s referral of "
        "23 November 2026: a panel decides referrals made before it meets" in page
    )
    assert "A. Khan, Northshire Adult Social Care" in page and 'value="2025"' in page
    assert not ExtraCarePanelItem.objects.exists()


def test_a_household_housed_or_withdrawn_is_not_referred_and_the_form_keeps_the_rest(
    client, officer
):
    from allocations.models import Application

    housed = ActiveApplicationFactory(reference="EC-000141", status=Application.Status.HOUSED)
    with pytest.raises(ValidationError) as refused:
        _referral(officer, housed)
    assert refused.value.message_dict["application"] == [
        f"{household_name(housed.household)}'s application EC-000141 is housed: only a "
        "household on the register can be referred to Extra Care (reinstate or register the "
        "application first)"
    ]
    ActiveApplicationFactory(reference="EC-000142", status=Application.Status.WITHDRAWN)
    client.force_login(officer)
    response = client.post(
        reverse("allocations:extracare-referral-create"),
        {
            "application_reference": "EC-000142",
            "referred_by": "J. Patel",
            "referred_on_0": "1",
            "referred_on_1": "12",
            "referred_on_2": "2026",
            "care_hours_per_week": "12",
            "needs_summary": NEEDS,
        },
    )
    assert response.status_code == 400
    assert b"application EC-000142 is withdrawn" in response.content
    assert NEEDS.encode() in response.content
    assert not ExtraCareReferral.objects.exists()


def test_panel_staff_are_named_on_the_form_and_in_the_pack_as_everywhere_else(client, officer):
    from config.templatetags.govuk import user_name

    named = UserFactory(username="ab7731", first_name="Ama", last_name="Boateng", roles=["officer"])
    nameless = UserFactory(username="svc4410", first_name="", last_name="", roles=["officer"])
    client.force_login(officer)
    form = client.get(reverse("allocations:extracare-panel-create")).content.decode()
    assert "Ama Boateng" in form and "ab7731" not in form
    # Someone with no name recorded is shown as the rest of the app shows them.
    assert user_name(nameless) in form
    panel = services.extracare_panel_record(
        held_on=TODAY,
        staff=[named, nameless],
        partner_members="A. Khan, Northshire Adult Social Care",
        referrals=[_referral(officer)],
        by=officer,
    )
    pack = services.extracare_pack_request(panel=panel, by=officer)
    assert pack.context["staff"] == sorted(["Ama Boateng", user_name(nameless)])
    assert "ab7731" not in str(pack.context)
