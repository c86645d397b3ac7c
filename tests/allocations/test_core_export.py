"""CORE lettings logs: `manage.py core_export` on the demo data, each exported field checked
against the definitions taken from CORE's source, and the problems a let with a gap gives."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from allocations.core import sources
from allocations.core import year2026 as core
from allocations.core.countries import COUNTRIES
from allocations.core.export import core_export
from allocations.models import AllocationDecision, CoreLetAnswers, Nomination, Vacancy
from residents.models import Household, Licence, Person, SpecialCategoryView
from sites.models import RegisteredProvider, Unit

pytestmark = pytest.mark.django_db

YEAR = 2026

# The questions CORE routes every general-needs let by a local authority to (row_parser.rb
# #validate_nulls; lettings_log.rb OPTIONAL_FIELDS are only tenancy code, property reference
# and care home charge): answered in every row, whatever the household.
ALWAYS_ANSWERED = {1, 2, 4, 7, 8, 9, 10, 11, 15, 16, 19, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31}
ALWAYS_ANSWERED |= {35, 36, 37, 38, 41, 42, 43, 45, 46, 47, 90, 93, 100, 111, 112, 113}
ALWAYS_ANSWERED |= {115, 116, 117, 121, 127, 128, 129, 130, 135, 138, 139}
ALWAYS_ANSWERED |= {141, 142, 143, 144, 145}


def _logs(text: str) -> list[dict[int, str]]:
    """The logs in a bulk-upload file, read as CORE's csv_parser.rb reads one with headers:
    the row whose first cell says "Field number" numbers the columns; the first column is
    left for labels (col_offset 1); the rows after it are logs."""
    rows = list(csv.reader(io.StringIO(text)))
    at = next(i for i, row in enumerate(rows) if re.match(r"field number", row[0], re.I))
    numbers = [int(n) for n in rows[at][1:]]
    return [dict(zip(numbers, row[1:], strict=True)) for row in rows[at + 1 :]]


def _check_against_core(log: dict[int, str], *, by_provider: bool = False) -> list[str]:
    """Every field of one log against year2026.py's definitions from CORE's source."""
    failures = []
    assert set(log) == set(range(1, 148))
    for number in sorted(ALWAYS_ANSWERED):
        if log[number] == "":
            failures.append(f"field {number} is required and empty")
    # The source of referral (row_parser.rb#referral_fields_valid?): a local authority's let
    # answers 131 (1-4) only; a private registered provider's 132 (5-9), then 133 when 132 is
    # 6 (1-4) or 7 (5-8), then 134 when 133 is 1 (1-10) or 7 (11-20).
    referral = [log[n] for n in (131, 132, 133, 134)]
    if not by_provider:
        if referral[0] not in ("1", "2", "3", "4") or any(referral[1:]):
            failures.append(f"a local authority's referral fields are wrong: {referral}")
    else:
        noms = {"6": ("1", "2", "3", "4"), "7": ("5", "6", "7", "8")}
        org = {"1": tuple(str(n) for n in range(1, 11)), "7": tuple(map(str, range(11, 21)))}
        if (
            referral[0]
            or referral[1] not in ("5", "6", "7", "8", "9")
            or referral[2] not in noms.get(referral[1], ("",))
            or referral[3] not in org.get(referral[2], ("",))
        ):
            failures.append(f"a provider's referral fields are wrong: {referral}")
    for number, value in log.items():
        definition = core.FIELD[number]
        if value == "":
            continue
        if definition.kind == "integer" and not re.fullmatch(r"-?\d+", value):
            failures.append(f"field {number} must be a whole number, is {value!r}")
        if definition.kind == "decimal" and not re.fullmatch(r"\d+(\.\d+)?", value):
            failures.append(f"field {number} must be a number, is {value!r}")
        codes = definition.codes
        if codes:
            # Codes are CORE's answer options: letters (sex) or numbers, whatever the
            # upload's attribute type (field 43 is read as text, then stored as a number).
            key = value if any(isinstance(code, str) for code in codes) else int(value)
            if key not in codes:
                failures.append(f"field {number}: {value!r} is not one of CORE's answers")
    # Ranges CORE states: questions/age1.rb (16-120), age.rb (1-120); the year two or four
    # digits (row_parser.rb field_10); nationality in global_constants.rb.
    if not 16 <= int(log[41]) <= 120:
        failures.append("lead tenant's age out of range")
    for first in core.PERSON_FIRST_FIELD.values():
        if log[first] and not 1 <= int(log[first]) <= 120:
            failures.append(f"field {first}: age out of range")
        if log[first] and "" in (log[first + 2], log[first + 5]):
            failures.append(f"person at field {first}: sex and working situation required")
    if not re.fullmatch(r"\d{2}|\d{4}", log[10]):
        failures.append("field 10: year not two or four digits")
    if int(log[46]) not in COUNTRIES:
        failures.append("field 46: not a nationality CORE knows")
    # Conditional questions: asked, and answered, when CORE routes to them.
    if log[117] == "1" and not (log[118] and log[119]):
        failures.append("previous postcode known but not given")
    if log[135] == "1" and not (log[136] and log[137]):
        failures.append("income known but not given")
    if log[138] in ("1", "6") and not log[146]:
        failures.append("housing benefit but no shortfall answer")
    if log[121] == "1" and not any(log[n] == "1" for n in range(122, 127)):
        failures.append("reasonable preference without a reason")
    if log[98] == "1" and any(log[n] == "1" for n in (94, 95, 96, 97)):
        failures.append("no disabled access needs given with a need")
    # The collection year: 1 April 2026 to 31 March 2027 (csv_parser.rb#wrong_template_for_year?).
    month, year = int(log[9]), 2000 + int(log[10])
    if not ((year == YEAR and month >= 4) or (year == YEAR + 1 and month <= 3)):
        failures.append("tenancy start outside the 2026/27 collection year")
    return failures


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", verbosity=0)


def test_core_export_on_the_demo_writes_every_let_passing_cores_rules(demo, tmp_path):
    output, problems = tmp_path / "core.csv", tmp_path / "problems.txt"
    call_command("core_export", year=YEAR, output=output, problems=problems, stdout=io.StringIO())
    assert problems.read_text() == ""
    logs = _logs(output.read_text())
    lets = AllocationDecision.objects.filter(
        status="approved", offer__vacancy__unit__kind="home"
    ).count()
    [nomination] = Nomination.objects.filter(status="let")  # Northshire Homes' let
    assert lets >= 1 and len(logs) == lets + 1
    council = [log for log in logs if log[1] == "ORG-DEMO"]
    [provider] = [log for log in logs if log[1] == "ORG-NSH"]
    assert len(council) == lets
    for log in council:
        assert _check_against_core(log) == []
        assert log[1] == log[2] == "ORG-DEMO"
        assert log[11] == "1" and log[4] == "1"  # social rent, general needs
    # The provider's let, returned by the council on its behalf: the provider owns and
    # manages it; the tenancy as the provider confirmed it; nominated from our register.
    assert _check_against_core(provider, by_provider=True) == []
    assert provider[1] == provider[2] == nomination.provider.core_organisation_id
    start = nomination.tenancy_start_date
    assert (provider[8], provider[9], provider[10]) == (
        str(start.day),
        str(start.month),
        start.strftime("%y"),
    )
    assert (provider[36], provider[37], provider[38], provider[40]) == ("2", "1", "2", "")
    assert (provider[131], provider[132], provider[133], provider[134]) == ("", "6", "1", "9")
    assert provider[11] == "2"  # affordable rent, as recorded on the vacancy
    assert provider[142] == str(nomination.vacancy.unit.weekly_charge)  # the home's rent
    assert provider[19].startswith(nomination.vacancy.unit.reference)


def test_a_let_without_a_rent_type_is_a_problem_naming_the_let_field_and_fix(demo, tmp_path):
    vacancy = Vacancy.objects.get(
        offers__decisions__status="approved", unit__kind="home", rent_type="social"
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(rent_type="")
    export = core_export(year=YEAR)
    [problem] = export.problems
    assert problem.field == 11 and problem.message == "Not answered."
    assert vacancy.reference in problem.let
    assert f"Record it on vacancy {vacancy.reference}." == problem.fix
    assert problem.url == reverse("allocations:vacancy-core", args=[vacancy.pk])
    # The command refuses to write the file, says why, and writes it when forced.
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("core_export", year=YEAR, output=tmp_path / "c.csv", stdout=out)
    assert "field 11 (What is the rent type?): Not answered." in out.getvalue()
    assert not (tmp_path / "c.csv").exists()
    call_command(
        "core_export", year=YEAR, output=tmp_path / "c.csv", force=True, stdout=io.StringIO()
    )
    assert _logs((tmp_path / "c.csv").read_text())[0][11] == ""


def test_an_eviction_that_does_not_say_why_is_a_specific_problem(demo, monkeypatch):
    decision = AllocationDecision.objects.filter(
        status="approved", offer__vacancy__unit__kind="home"
    ).first()
    original = sources.void_before
    council_let = next(let for let in core_export(year=YEAR).lets if let.decision == decision)
    void_date, _, repairs = original(council_let)
    # History cannot be rewritten (the database refuses): the council let's void, as if it
    # had been recorded as the old "court order" (the provider's let is left as it is).
    monkeypatch.setattr(
        sources,
        "void_before",
        lambda let: (
            (void_date, Unit.VoidReason.EVICTION, repairs)
            if let.decision == decision
            else original(let)
        ),
    )
    [problem] = core_export(year=YEAR).problems
    assert problem.field == 16
    assert "court order that does not say whether it was for rent arrears" in problem.message
    # Recorded in CORE's words on the let's answers, it passes.
    CoreLetAnswers.objects.filter(decision=decision).update(vacancy_reason=11)
    assert core_export(year=YEAR).problems == []


def test_answers_left_out_are_each_a_problem_on_the_lets_core_answers(demo):
    answers = CoreLetAnswers.objects.get(decision__isnull=False)
    CoreLetAnswers.objects.filter(pk=answers.pk).update(
        nationality=None, illness=1, income_known=1, income=None
    )
    problems = {(p.field, p.message) for p in core_export(year=YEAR).problems}
    assert (46, "Not answered.") in problems
    assert (137, "Not answered.") in problems
    assert (101, "How the condition affects them is not answered.") in problems
    assert all(
        p.url == reverse("allocations:core-answers", args=[answers.decision_id])
        for p in core_export(year=YEAR).problems
    )


def test_the_export_page_shows_the_lets_and_the_download_logs_special_category(
    demo, client, auditor
):
    client.force_login(auditor)
    page = client.get(reverse("allocations:core-export"))
    assert page.status_code == 200
    assert "Every log passes CORE's rules." in page.content.decode()
    before = SpecialCategoryView.objects.count()
    download = client.get(reverse("allocations:core-export-csv", args=[YEAR]))
    assert download.status_code == 200
    logs = _logs(b"".join(download.streaming_content).decode())
    assert len(logs) == len(core_export(year=YEAR).lets)
    assert SpecialCategoryView.objects.count() > before
    assert client.get(reverse("allocations:core-export-csv", args=[2019])).status_code == 404


def test_the_export_page_lists_each_problem_with_where_to_fix_it(demo, client, officer):
    Vacancy.objects.filter(offers__decisions__status="approved", unit__kind="home").update(
        needs_type=""
    )
    client.force_login(officer)
    page = client.get(reverse("allocations:core-export")).content.decode()
    assert "What is the needs type?" in page
    assert "Record it on vacancy" in page
    problems = client.get(reverse("allocations:core-export-csv", args=[YEAR]) + "?what=problems")
    text = b"".join(problems.streaming_content).decode()
    assert "What is the needs type?" in text and "Not answered." in text


def test_the_money_fields_are_pounds_and_pence(demo):
    export = core_export(year=YEAR)
    for row in export.rows:
        assert isinstance(row[142], Decimal) and row[144] == Decimal("0.00")


def test_a_provider_let_without_the_providers_core_id_or_referral_is_a_problem(demo):
    nomination = Nomination.objects.get(status="let")
    RegisteredProvider.objects.filter(pk=nomination.provider_id).update(core_organisation_id="")
    CoreLetAnswers.objects.filter(nomination=nomination).update(referral_org=None)
    problems = {(p.field, p.message): p for p in core_export(year=YEAR).problems}
    assert set(problems) == {(1, "Not answered."), (2, "Not answered."), (134, "Not answered.")}
    assert "record the CORE organisation ID of Northshire Homes" in problems[1, "Not answered."].fix
    assert problems[134, "Not answered."].url == reverse(
        "allocations:nomination-core-answers", args=[nomination.pk]
    )


def test_a_provider_lets_core_answers_open_and_log_who_was_shown_their_health(
    demo, client, officer
):
    # The page read the household through a council let's decision, which a provider's let
    # on the council's nomination has not: a 500 on every saved nomination's answers.
    nomination = Nomination.objects.get(status="let")
    assert CoreLetAnswers.objects.filter(nomination=nomination).exists()
    people = set(nomination.application.household.people.values_list("pk", flat=True))
    client.force_login(officer)
    before = SpecialCategoryView.objects.count()
    page = client.get(reverse("allocations:nomination-core-answers", args=[nomination.pk]))
    assert page.status_code == 200
    logged = SpecialCategoryView.objects.order_by("pk")[before:]
    assert {view.person_id for view in logged} == people
    assert {view.where for view in logged} == {"CORE answers"}


def _council_let(export):
    return next(
        (let, row) for let, row in zip(export.lets, export.rows, strict=True) if not let.by_provider
    )


def test_a_baby_under_one_is_exported_as_one_as_core_asks(demo):
    # questions/age.rb: min 1, "Answer 1 for children aged under 1 year old".
    let, _ = _council_let(core_export(year=YEAR))
    baby = let.people[1]
    Person.objects.filter(pk=baby.pk).update(
        date_of_birth=sources.tenancy_start(let) - dt.timedelta(days=100)
    )
    export = core_export(year=YEAR)
    let, row = _council_let(export)
    first = next(f for n, f in core.PERSON_FIRST_FIELD.items() if let.people[n - 1].pk == baby.pk)
    assert row[first] == "1"
    assert export.problems == []


def test_a_fixed_term_tenancy_length_is_never_invented_and_follows_cores_range(demo):
    let, _ = _council_let(core_export(year=YEAR))
    licence = let.licence
    start = licence.start_date
    # No end date: the length is unanswered, and the problem says to record the end date on
    # the agreement (never a made-up five years).
    Licence.objects.filter(pk=licence.pk).update(kind="fixed_term", end_date=None)
    export = core_export(year=YEAR)
    _, row = _council_let(export)
    assert row[38] == 6 and row[40] is None
    [problem] = export.problems
    assert (problem.field, problem.message) == (40, "Not answered.")
    assert licence.reference in problem.fix and "end date" in problem.fix
    assert problem.url == reverse("residents:licence-edit", args=[licence.pk])
    # One year: tenancy_validations.rb#validate_general_needs_fixed_tenancy_length_affordable_
    # social_rent wants 2 to 99 years for a general-needs social or affordable rent let.
    Licence.objects.filter(pk=licence.pk).update(end_date=start + dt.timedelta(days=365))
    export = core_export(year=YEAR)
    _, row = _council_let(export)
    assert row[40] == 1
    [problem] = export.problems
    assert problem.field == 40
    assert "between 2 and 99 years" in problem.message
    # A few days rounds to no years: unanswered, not five.
    Licence.objects.filter(pk=licence.pk).update(end_date=start + dt.timedelta(days=20))
    export = core_export(year=YEAR)
    assert _council_let(export)[1][40] is None
    assert [(p.field, p.message) for p in export.problems] == [(40, "Not answered.")]
    Licence.objects.filter(pk=licence.pk).update(end_date=start + dt.timedelta(days=5 * 365))
    export = core_export(year=YEAR)
    assert _council_let(export)[1][40] == 5 and export.problems == []


def test_an_internal_transfer_from_outside_social_housing_is_a_problem(demo):
    # household_validations.rb#validate_referral (2026 on): an internal transfer is for
    # existing social tenants only.
    let, _ = _council_let(core_export(year=YEAR))
    CoreLetAnswers.objects.filter(pk=let.answers.pk).update(referral="transfer", previous_tenure=3)
    export = core_export(year=YEAR)
    _, row = _council_let(export)
    assert row[131] == 2 and row[115] == 3
    [problem] = export.problems
    assert problem.field == 115
    assert "Private sector tenancy" in problem.message
    assert "internal transfer" in problem.message and "field 131" in problem.message
    assert problem.url == reverse("allocations:core-answers", args=[let.decision.pk])
    CoreLetAnswers.objects.filter(pk=let.answers.pk).update(previous_tenure=31)
    assert core_export(year=YEAR).problems == []


def test_a_home_with_no_bedrooms_is_a_bedsit_of_one_bedroom_as_core_records_it(demo):
    # row_parser.rb#attributes_for_log: beds = 1 when field 26 is 2 (bedsit); beds.rb min 1.
    let, _ = _council_let(core_export(year=YEAR))
    Unit.objects.filter(pk=let.unit.pk).update(bedrooms=0)
    export = core_export(year=YEAR)
    _, row = _council_let(export)
    assert (row[26], row[28]) == (2, 1)
    assert export.problems == []
    # More than CORE's 12 bedrooms is a problem on the unit, not a log CORE refuses.
    Unit.objects.filter(pk=let.unit.pk).update(bedrooms=13)
    [problem] = core_export(year=YEAR).problems
    assert problem.field == 28 and "1 to 12 bedrooms" in problem.message
    assert problem.url == reverse("sites:unit-edit", args=[let.unit.pk])


def test_a_joint_tenancy_for_a_household_of_one_is_a_problem(demo):
    # tenancy_validations.rb#validate_joint_tenancy: not joint with one person in the household.
    nomination = Nomination.objects.get(status="let")
    household = nomination.application.household
    elsewhere = Household.objects.exclude(pk=household.pk).first()
    household.people.exclude(relationship=Person.Relationship.LEAD).update(household=elsewhere)
    Nomination.objects.filter(pk=nomination.pk).update(joint_tenancy=True)
    [problem] = core_export(year=YEAR).problems
    assert problem.field == 36
    assert "only one person" in problem.message
    assert problem.url == nomination.get_absolute_url()
    Nomination.objects.filter(pk=nomination.pk).update(joint_tenancy=False)
    assert core_export(year=YEAR).problems == []


def test_an_age_problem_points_to_the_persons_page(demo):
    # Ages are from each person's date of birth, recorded on the household's page, not in the
    # let's CORE answers.
    let, _ = _council_let(core_export(year=YEAR))
    start = sources.tenancy_start(let)
    lead, other = let.people[0], let.people[1]
    Person.objects.filter(pk=lead.pk).update(date_of_birth=start - dt.timedelta(days=10 * 366))
    Person.objects.filter(pk=other.pk).update(date_of_birth=start.replace(year=start.year - 125))
    problems = {p.field: p for p in core_export(year=YEAR).problems}
    household_page = reverse("residents:household-detail", args=[let.application.household_id])
    assert "The lead tenant must be aged 16 to 120" in problems[41].message
    assert problems[41].url == household_page
    assert problems[41].fix == "Record it on the person's page."
    first = next(f for n, f in core.PERSON_FIRST_FIELD.items() if let.people[n - 1].pk == other.pk)
    assert problems[first].url == household_page
