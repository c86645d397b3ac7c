import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from simple_history.models import HistoricalRecords as LibraryHistoricalRecords

from config.history import historical_models
from config.kernel.history_rows import HistoricalRecords
from config.kernel.records import history_stamp
from config.models import ChangeLogEntry
from sites import services
from sites.models import Site, Unit
from tests.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _site(officer, **overrides):
    fields = {
        "name": "Oak Lane",
        "reference": "GT-01",
        "kind": Site.Kind.GYPSY_TRAVELLER_SITE,
        "address_line_1": "1 Oak Lane",
        "town": "Ashford",
        "postcode": "tn23 4qp",
    } | overrides
    return services.site_create(by=officer, **fields)


def test_a_change_records_who_made_it_and_why(officer):
    site = _site(officer)
    services.site_update(
        site=site, by=officer, reason="Site renamed by committee", name="Oak Lane Park"
    )
    latest = site.history.latest()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Site renamed by committee"
    assert latest.name == "Oak Lane Park"


def test_a_records_history_is_its_own_and_its_manager_class_is_made_once(officer):
    """Every tracked model's `history` manager class is built once at start-up (the library
    builds one on every read, which every save with history does)."""
    oak, elm = _site(officer), _site(officer, name="Elm Row", reference="GT-02")
    services.site_update(site=oak, by=officer, reason="Renamed", name="Oak Lane Park")
    assert type(oak.history) is type(elm.history)
    assert [row.name for row in oak.history.order_by("history_id")] == ["Oak Lane", "Oak Lane Park"]
    assert [row.name for row in elm.history.all()] == ["Elm Row"]
    assert Site.history.count() == 3


def test_a_history_row_is_the_row_django_simple_history_itself_writes(officer):
    """The history row is inserted by a statement made once per history model
    (config/kernel/history_rows.py): the row the library's own save writes, value for value."""
    site = _site(officer, opened_on=date(2020, 1, 2), parish="Kingsnorth", notes="Gate code")
    when = timezone.now()
    for records_class in (LibraryHistoricalRecords, HistoricalRecords):
        site = Site.objects.get(pk=site.pk)
        site._history_date = when
        history_stamp(site, by=officer, reason="The same change")
        writer = records_class(excluded_fields=["created_at", "updated_at"])
        writer.manager_name = "history"
        records_class.create_historical_record(writer, site, "~")
    library, ours = site.history.order_by("-history_id")[:2][::-1]
    fields = [field.attname for field in Site.history.model._meta.concrete_fields]
    assert ours.history_id > library.history_id
    assert ours.pk == ours.history_id and not ours._state.adding
    assert {name: getattr(ours, name) for name in fields if name != "history_id"} == {
        name: getattr(library, name) for name in fields if name != "history_id"
    }
    assert (ours.history_user_id, ours.history_change_reason) == (officer.pk, "The same change")
    logged = ChangeLogEntry.objects.get(history_id=ours.history_id, record_type="sites.site")
    assert (logged.user_id, logged.reason, logged.changes) == (officer.pk, "The same change", {})


def test_a_change_by_an_unsaved_user_is_refused_not_written_without_one():
    from django.contrib.auth import get_user_model

    from config.history import acting_as

    site = SiteFactory()
    site.notes = "Changed by nobody saved"
    with (
        acting_as(get_user_model()(username="unsaved")),
        pytest.raises(ValueError, match="saved user"),
    ):
        site.save()
    assert not site.history.filter(notes="Changed by nobody saved").exists()


def test_history_rows_cannot_be_updated_in_the_database(officer):
    site = _site(officer)
    row = site.history.latest()
    with pytest.raises(DatabaseError, match="History rows cannot be changed"), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(name="Rewritten")


def test_history_rows_cannot_be_deleted_in_the_database(officer):
    site = _site(officer)
    with (
        pytest.raises(DatabaseError, match="History rows cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM sites_historicalsite")
    assert site.history.count() == 1


def test_every_history_table_is_protected_by_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'history_row_protect'"
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert {model._meta.db_table for model in historical_models()} <= protected


def test_history_page_shows_field_changes_in_plain_words_newest_first(client, officer, auditor):
    # A name that HTML-escapes (O&#x27;Brien), every run, not only when Faker draws one.
    officer.last_name = "O'Brien"
    officer.save(update_fields=["last_name"])
    unit = services.unit_create(
        site=_site(officer),
        by=officer,
        reference="Pitch 1",
        kind=Unit.Kind.PITCH,
        status=Unit.Status.OCCUPIED,
        weekly_charge=Decimal("80.00"),
    )
    services.unit_update(
        unit=unit,
        by=officer,
        reason="Licence ended",
        status=Unit.Status.VOID,
        void_date=date(2026, 11, 2),
        void_reason=Unit.VoidReason.END_OF_LICENCE,
    )
    services.unit_update(
        unit=unit, by=officer, reason="Annual fee review", weekly_charge=Decimal("84.10")
    )
    client.force_login(auditor)
    page = client.get(reverse("sites:unit-history", args=[unit.pk])).content.decode()
    assert page.index("Annual fee review") < page.index("Licence ended") < page.index("Created")
    assert "Weekly pitch fee or rent (£)" in page
    assert "80.00" in page and "84.10" in page
    assert "Void (empty)" in page and "Licence or tenancy ended" in page  # choice labels
    assert "void_reason" not in page  # labels, not column names
    assert escape(officer.get_full_name()) in page


def test_history_page_is_paginated(client, officer, auditor):
    site = _site(officer)
    for number in range(25):
        services.site_update(
            site=site, by=officer, reason=f"Change number {number}", notes=f"n{number}"
        )
    client.force_login(auditor)
    url = reverse("sites:site-history", args=[site.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "Change number 24" in first and "Change number 24" not in second
    assert "Created" in second and "Created" not in first
    # The oldest entry on page one still says what it changed, from the row on page two.
    assert "n5" in first


def test_change_log_lists_changes_across_record_types_and_filters_them(
    client, officer, sites_manager, auditor
):
    site = _site(officer)
    UnitFactory(site=site)
    services.site_update(
        site=site, by=sites_manager, reason="Parish corrected", parish="Kingsnorth"
    )
    client.force_login(auditor)
    everything = client.get(reverse("change-log")).content.decode()
    assert "Parish corrected" in everything and "New site recorded" in everything
    by_manager = client.get(reverse("change-log"), {"person": sites_manager.pk}).content.decode()
    assert "Parish corrected" in by_manager and "New site recorded" not in by_manager
    units_only = client.get(reverse("change-log"), {"record_type": "sites.unit"}).content.decode()
    assert "Parish corrected" not in units_only and "Unit" in units_only


def test_change_log_filters_by_date_range_and_reports_an_impossible_range(client, officer, auditor):
    _site(officer)
    client.force_login(auditor)
    today = date.today()
    in_range = client.get(
        reverse("change-log"),
        {
            "date_from_0": today.day,
            "date_from_1": today.month,
            "date_from_2": today.year,
        },
    ).content.decode()
    assert "New site recorded" in in_range
    backwards = client.get(
        reverse("change-log"),
        {
            "date_from_0": 2,
            "date_from_1": 1,
            "date_from_2": 2026,
            "date_to_0": 1,
            "date_to_1": 1,
            "date_to_2": 2026,
        },
    ).content.decode()
    assert "There is a problem" in backwards and "must be the same as or after" in backwards


def test_change_log_exports_csv_with_the_filters_applied(client, officer, auditor):
    _site(officer, reason="=HYPERLINK(evil)")
    client.force_login(auditor)
    response = client.get(reverse("change-log-csv"), {"record_type": "sites.site"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "When", "Who", "Record type", "Record", "Record id", "Action",
        "Changes (field: before → after)", "Reason",
    ]  # fmt: skip
    assert len(rows) == 2 and rows[1][2:4] == ["Site", "Oak Lane"] and rows[1][5] == "Created"
    assert "Name: Oak Lane" in rows[1][6].splitlines()
    assert rows[1][7] == "'=HYPERLINK(evil)"  # no spreadsheet formula injection


def test_change_log_page_makes_the_same_number_of_queries_for_1_or_50_changes(client, auditor):
    client.force_login(auditor)

    # One record type, so only the number of rows differs between the two pages.
    url = reverse("change-log") + "?record_type=sites.site"

    def queries() -> int:
        client.get(url)  # the first request after sign-in writes the session
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    SiteFactory()
    one = queries()
    SiteFactory.create_batch(49)
    assert queries() == one


def test_changes_made_by_a_task_or_command_are_attributed_to_who_it_acts_for(officer):
    from config.history import acting_as, system_user

    site = SiteFactory()
    with acting_as(system_user()):
        site.notes = "Checked by the nightly task"
        site.save()
    assert site.history.latest().history_user.username == "system"
    with acting_as(officer):
        site.notes = "Changed by a command run for an officer"
        site.save()
    assert site.history.latest().history_user == officer


def test_the_system_account_cannot_sign_in():
    from config.history import system_user

    user = system_user()
    assert not user.is_active and not user.has_usable_password()


def test_demo_data_is_attributed_to_the_administrator_who_loads_it():
    from django.core.management import call_command

    call_command("demo_load", verbosity=0)
    site = Site.objects.get(reference="GT-01")
    assert site.history.get().history_user.username == "admin"
