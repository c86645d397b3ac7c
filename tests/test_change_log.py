"""The change-log table: written by trigger with each history row, read a keyset page at a time,
exported with names and before → after, and as append-only as history itself."""

import csv
import io
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import changelog, changelog_writing
from config.history import historical_models
from config.kernel.records import save
from config.models import ChangeLogEntry
from sites import services
from tests.allocations.factories import ApplicationFactory, VacancyFactory
from tests.factories import LicenceFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db

CHANGE_LOG_PAGE_QUERIES = 6


def test_every_history_table_writes_the_change_log_by_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'change_log_record'"
        )
        covered = {row[0] for row in cursor.fetchall()}
    assert {model._meta.db_table for model in historical_models()} <= covered


def test_every_history_table_has_the_index_the_trigger_reads_the_previous_row_by():
    # The record's key and history_id: one entry a save, however long the record's history.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        indexes = dict(cursor.fetchall())
    for model in historical_models():
        spec = changelog_writing.table_spec(model, model.instance_type._meta.label_lower)
        definition = indexes[changelog_writing.previous_index_name(spec.table)]
        assert definition.endswith(f"USING btree ({spec.pk}, history_id)")


def test_each_change_is_diffed_against_the_records_latest_earlier_row(officer):
    site = SiteFactory(name="Oak Lane", parish="")
    for parish in ("Kingsnorth", "Ashford", "Kingsnorth"):
        services.site_update(site=site, by=officer, reason="Parish", parish=parish)
    rows = ChangeLogEntry.objects.filter(record_type="sites.site", record_id=site.pk)
    assert [row.changes for row in rows.order_by("id")][1:] == [
        {"parish": ["", "Kingsnorth"]},
        {"parish": ["Kingsnorth", "Ashford"]},
        {"parish": ["Ashford", "Kingsnorth"]},
    ]


def test_a_change_is_logged_with_name_fields_who_and_why(officer):
    site = SiteFactory(name="Oak Lane")
    services.site_update(site=site, by=officer, reason="Parish corrected", parish="Kingsnorth")
    row = ChangeLogEntry.objects.filter(record_type="sites.site", record_id=site.pk).latest("id")
    assert (row.action, row.label, row.reason) == ("~", "Oak Lane", "Parish corrected")
    assert row.user_name == officer.get_full_name() and row.user_name
    assert [(c.label, c.after) for c in changelog.changes(row, {})] == [("Parish", "Kingsnorth")]


def test_a_record_that_belongs_to_another_is_labelled_as_its_pages_name_it(officer):
    licence = LicenceFactory(unit__reference="Pitch 4", unit__site__name="Oak Lane")
    unit, site = licence.unit, licence.unit.site
    vacancy = VacancyFactory(unit__reference="Plot 2", unit__site=site)
    expected = {
        ("sites.site", site.pk): "Oak Lane",
        ("sites.unit", unit.pk): "Pitch 4, Oak Lane",
        ("residents.licence", licence.pk): f"{licence.reference}, Pitch 4, Oak Lane",
        ("allocations.vacancy", vacancy.pk): f"{vacancy.reference}, Plot 2, Oak Lane",
    }
    for (record_type, pk), label in expected.items():
        row = ChangeLogEntry.objects.filter(record_type=record_type, record_id=pk).latest("id")
        assert row.label == label

    # The backfill writes the same label from the history already recorded.
    with connection.cursor() as cursor:
        changelog_writing.backfill(
            cursor, changelog_writing.table_spec(unit.history.model, "sites.unit")
        )
    labels = ChangeLogEntry.objects.filter(record_type="sites.unit", record_id=unit.pk)
    assert set(labels.values_list("label", flat=True)) == {"Pitch 4, Oak Lane"}
    assert labels.count() >= 2


def test_a_rolled_back_change_leaves_no_change_log_row(officer):
    site = SiteFactory()
    before = ChangeLogEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.site_update(site=site, by=officer, reason="Will roll back", parish="X")
        raise RuntimeError
    assert ChangeLogEntry.objects.count() == before


def test_special_category_values_are_never_stored_in_the_change_log(officer):
    person = PersonFactory(health_notes="Diabetic")
    person.health_notes = "Asthma"
    person.first_name = "Maria"
    save(person, by=officer, reason="Corrected")
    rows = ChangeLogEntry.objects.filter(record_type="residents.person", record_id=person.pk)
    assert "Diabetic" not in str(list(rows.values("changes")))
    assert "Asthma" not in str(list(rows.values("changes")))
    changes = {c.label: c for c in changelog.changes(rows.latest("id"), {})}
    assert changes["Health and disability notes"].after == changelog.WITHHELD
    assert (changes["First name"].before, changes["First name"].after) == ("Mary0", "Maria") or (
        changes["First name"].after == "Maria"
    )


def test_a_created_record_lists_its_non_blank_fields_with_no_before_and_withholds(officer):
    person = PersonFactory(first_name="Mary", other_names="", health_notes="Diabetic")
    row = ChangeLogEntry.objects.get(
        record_type="residents.person", record_id=person.pk, action="+"
    )
    assert "Diabetic" not in str(row.changes)
    shown = {c.label: (c.before, c.after) for c in changelog.changes(row, {})}
    assert shown["First name"] == ("", "Mary")
    assert shown["Health and disability notes"] == ("", changelog.WITHHELD)
    assert "Other names" not in shown and "Id" not in shown and "ID" not in shown
    assert all(before == "" for before, _ in shown.values())


def test_a_created_record_written_before_values_were_stored_whole_reads_the_same(officer):
    person = PersonFactory(first_name="Mary", health_notes="Diabetic")
    row = ChangeLogEntry.objects.get(
        record_type="residents.person", record_id=person.pk, action="+"
    )
    # The shape written until created records were stored whole, by the per-field diff
    # (change_log_diff): [null, value] for each non-blank field, null for a withheld one.
    spec = changelog_writing.table_spec(person.history.model, "residents.person")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT change_log_diff(NULL, to_jsonb(h), %s, %s) FROM {spec.table} h "  # noqa: S608
            "WHERE history_id = %s",
            [list(spec.hidden), list(spec.ignored), row.history_id],
        )
        (stored,) = cursor.fetchone()
    earlier = ChangeLogEntry.objects.create(
        when=row.when,
        record_type=row.record_type,
        record_id=row.record_id,
        history_id=row.history_id,
        action="+",
        changes=json.loads(stored) if isinstance(stored, str) else stored,
    )
    assert all(value is None or value[0] is None for value in earlier.changes.values())
    assert changelog.changes(earlier, {}) == changelog.changes(row, {})
    assert changelog.changes(row, {})


def test_the_change_log_table_cannot_be_updated_or_deleted(officer):
    SiteFactory()
    for statement in (
        "UPDATE config_changelogentry SET reason = 'rewritten'",
        "DELETE FROM config_changelogentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def test_signing_in_is_not_a_change(client, officer):
    officer.set_password("a-long-password-2026")
    officer.save()
    rows = ChangeLogEntry.objects.filter(record_type="auth.user", record_id=officer.pk)
    histories = officer.history.count()
    logged = rows.count()
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "a-long-password-2026"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == histories
    assert rows.count() == logged


def test_the_backfill_makes_the_rows_the_trigger_makes(officer):
    site = SiteFactory(name="Oak Lane")
    services.site_update(site=site, by=officer, reason="Parish corrected", parish="Kingsnorth")
    fields = ("action", "label", "reason", "user_name", "changes", "history_id")
    by_trigger = list(
        ChangeLogEntry.objects.filter(record_type="sites.site")
        .order_by("history_id")
        .values(*fields)
    )
    history_model = site.history.model
    with connection.cursor() as cursor:
        changelog_writing.backfill(
            cursor, changelog_writing.table_spec(history_model, "sites.site")
        )
    everything = list(
        ChangeLogEntry.objects.filter(record_type="sites.site").order_by("history_id", "id")
    )
    assert [{f: getattr(row, f) for f in fields} for row in everything[::2]] == by_trigger
    assert [{f: getattr(row, f) for f in fields} for row in everything[1::2]] == by_trigger


def test_the_page_is_read_by_keyset_newest_first_with_older_and_newer_links(client, auditor):
    sites = SiteFactory.create_batch(30)
    client.force_login(auditor)
    url = reverse("change-log")
    first = client.get(url, {"record_type": "sites.site"})
    assert first.context["page"]["newer"] is None
    older = first.context["page"]["older"]
    names = [entry["record"] for entry in first.context["entries"]]
    assert names == [site.name for site in reversed(sites)][:25]
    second = client.get(url, {"record_type": "sites.site", "after": older})
    assert [e["record"] for e in second.context["entries"]] == [s.name for s in sites[:5][::-1]]
    assert second.context["page"]["older"] is None
    back = client.get(url, {"record_type": "sites.site", "before": second.context["page"]["newer"]})
    assert [e["record"] for e in back.context["entries"]] == names


@pytest.mark.parametrize("cursor", ["nonsense", "%%%", "MjAyNnxub3Q", "x" * 500])
def test_a_broken_cursor_shows_the_first_page(client, auditor, cursor):
    SiteFactory()
    client.force_login(auditor)
    assert client.get(reverse("change-log"), {"after": cursor}).status_code == 200
    assert client.get(reverse("change-log"), {"before": cursor}).status_code == 200


def _mixed_records(count: int) -> None:
    """Units, vacancies and licences: the records whose names once cost a query each."""
    for _ in range(count):
        VacancyFactory()
        LicenceFactory()


def test_the_change_log_page_makes_the_same_queries_for_1_or_50_mixed_rows(client, auditor):
    client.force_login(auditor)
    url = reverse("change-log")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    _mixed_records(1)
    one = queries()
    _mixed_records(25)
    assert queries() == one
    # The session, the user and their second-step device; the people to filter by, the page
    # of changes, the names of the records they point to (permissions come from the cache).
    assert one == CHANGE_LOG_PAGE_QUERIES


def test_the_csv_has_names_fields_before_after_who_and_reason(client, officer, auditor):
    site = SiteFactory(name="Oak Lane", parish="Ashford")
    services.site_update(site=site, by=officer, reason="Parish corrected", parish="Kingsnorth")
    person = PersonFactory(health_notes="Diabetic")
    person.health_notes = "Asthma"
    save(person, by=officer, reason="Notes updated")
    client.force_login(auditor)
    response = client.get(reverse("change-log-csv"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert [
        officer.get_full_name(), "Site", "Oak Lane", str(site.pk), "Changed",
        "Parish: Ashford → Kingsnorth", "Parish corrected",
    ] in [row[1:] for row in rows]  # fmt: skip
    assert "Diabetic" not in body and "Asthma" not in body
    withheld = f"Health and disability notes: {changelog.WITHHELD} → {changelog.WITHHELD}"
    assert any(row[6] == withheld and row[7] == "Notes updated" for row in rows)


def test_the_csv_streams_a_bounded_number_of_queries(client, auditor):
    _mixed_records(3)
    client.force_login(auditor)
    client.get(reverse("change-log"))
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("change-log-csv"))
        b"".join(response.streaming_content)
    small = len(context)
    _mixed_records(20)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("change-log-csv"))
        b"".join(response.streaming_content)
    assert len(context) == small


def _types_shown(client, user, **filters) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("change-log-csv"), filters)
    body = b"".join(response.streaming_content).decode()
    return {row[2] for row in list(csv.reader(io.StringIO(body)))[1:]}


def test_only_auditors_read_every_records_changes_the_others_those_they_may_view(
    client, officer, auditor, head_of_service, administrator
):
    # The head of service and administrators read the change log too, but it showed them the
    # changes of records they may not open: a probation referral, every application.
    from datetime import date

    from allocations.services import referral_make

    application = ApplicationFactory()
    referral_make(
        household=application.household,
        agency="probation",
        reason="Support with the move",
        basis="consent",
        basis_detail="Agreed at interview",
        referred_on=date(2026, 11, 2),
        response_due=date(2026, 11, 16),
        by=officer,
    )
    SiteFactory(name="Oak Lane")
    assert {"Application", "Referral", "Site"} <= _types_shown(client, auditor)
    head = _types_shown(client, head_of_service)
    assert "Application" in head and "Site" in head and "Referral" not in head
    admin = _types_shown(client, administrator)
    assert "Site" in admin and not {"Application", "Referral"} & admin
    # Nor can they choose a record type they may not read: the filter refuses it.
    client.force_login(administrator)
    page = client.get(reverse("change-log"), {"record_type": "allocations.application"})
    assert page.status_code == 200 and not page.context["entries"]
    assert "allocations.application" not in dict(page.context["form"].fields["record_type"].choices)
    client.force_login(auditor)
    page = client.get(reverse("change-log"), {"record_type": "allocations.referral"})
    assert [entry["record_type"] for entry in page.context["entries"]] == ["Referral"]


def test_an_assessment_is_named_by_its_application_and_household_on_the_change_log(
    client, officer, auditor
):
    # It was "Assessment #3": the reader could not tell whose scoring had changed.
    from allocations import services as allocation_services
    from tests.allocations.factories import ActiveApplicationFactory

    application = ActiveApplicationFactory(
        reference="A-000321", household__reference="H-000654", bedroom_need=None
    )
    assessment = allocation_services.application_assess(
        application=application, criteria=[], by=officer
    )
    row = ChangeLogEntry.objects.filter(
        record_type="allocations.assessment", record_id=assessment.pk
    ).latest("id")
    assert row.label == "A-000321, H-000654"
    client.force_login(auditor)
    page = client.get(reverse("change-log"), {"record_type": "allocations.assessment"})
    assert "A-000321, H-000654" in page.content.decode()
    assert f"Assessment #{assessment.pk}" not in page.content.decode()


def test_no_audited_record_is_named_only_by_its_type_and_number():
    # Each history table's change-log rows carry a label (its own columns or the records it
    # belongs to), so no reader meets "Offer #12".
    unnamed = {
        model.instance_type._meta.label_lower
        for model in historical_models()
        if not (
            spec := changelog_writing.table_spec(model, model.instance_type._meta.label_lower)
        ).label
        and not spec.parents
    }
    assert unnamed == set()


def test_the_last_six_record_types_are_named_by_what_they_belong_to(officer, administrator):
    # They were "Cycle newsletter #4", "Census difference #9", ...: named now by their cycle,
    # return, site, letter; a census difference not by its description (it names people), an
    # off-site count not by its category (land owned by Travellers is about their ethnicity).
    from datetime import date

    from allocations.models import CycleNewsletter
    from allocations.services import cycle_next_create
    from allocations.services.wordings import wording_add
    from census import counting
    from census import services as census_services
    from residents.services.handbook import handbook_edition_request, handbook_section_create
    from tests.census.factories import complete, started_round

    def label(record) -> str:
        return (
            ChangeLogEntry.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)
            .latest("id")
            .label
        )

    cycle = cycle_next_create(by=officer)
    newsletter = CycleNewsletter.objects.create(
        cycle=cycle, edition="easy_read", context={}, requested_by=officer
    )
    assert label(newsletter) == f"easy_read, {cycle.reference}"

    wording = wording_add(
        kind="offer",
        variant="large_print",
        subject="Your offer",
        body="We offer you {{ unit }}.",
        email_text="Your offer letter is attached.",
        effective_from=date.today(),
        reason="Plainer words",
        by=administrator,
    )
    assert label(wording) == f"offer large_print {wording.version}"

    count = counting.off_site_count_record(
        count_date=date(2025, 1, 14),
        category="own_not_tolerated",
        location="Lay-by, A36",
        caravans=3,
        by=officer,
    )
    assert label(count) == "Lay-by, A36 2025-01-14"

    site = SiteFactory(name="Oak Lane")
    census_round = started_round(by=officer, pitches=1, site=site, year=2031)
    census_return = census_round.returns.get()
    occupant = census_return.occupants.get()
    complete(census_return, by=officer, findings={occupant.pk: "moved_out"})
    census_services.return_submit(census_return=census_return, by=officer)
    unit, licence = census_return.unit, census_return.licence
    person = occupant.licence_occupant.person
    return_label = f"{unit.reference}, Oak Lane, 2031"
    assert label(census_return) == return_label
    # A person on the return by name and licence, as their place on the licence is named.
    assert label(occupant) == (
        f"{person.first_name} {person.last_name}, {licence.reference}, {unit.reference}, "
        f"{return_label}"
    )
    difference = census_return.differences.get()
    assert person.first_name in difference.description
    assert label(difference) == f"occupant_gone, {return_label}"

    handbook_section_create(site=site, heading="Bins", body="Collected on Mondays.", by=officer)
    edition = handbook_edition_request(site=site, by=officer)
    assert label(edition) == f"{edition.number}, Oak Lane"
