from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from residents import services
from residents.models import Household, Person, SpecialCategoryView
from tests.factories import HouseholdFactory, LicenceFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOUSEHOLD_FORM = {
    "first_name": "Bridget",
    "last_name": "Doherty",
    "other_names": "Biddy",
    "date_of_birth_0": "17",
    "date_of_birth_1": "5",
    "date_of_birth_2": "1984",
    "sex": "female",
    "ethnicity": "irish_traveller",
    "gypsy_traveller_status": "yes",
    "health_notes": "Asthma",
    "special_category_basis": "UK GDPR art. 9(2)(g)",
    "address_line_1": "Pitch 4, Oak Lane",
    "town": "Ashford",
    "postcode": "TN23 4QP",
    "phone": "07700 900123",
    "preferred_contact": "text",
    "literacy_support": "on",
}
PERSON_FORM = {
    "first_name": "Patrick",
    "last_name": "Doherty",
    "date_of_birth_0": "1",
    "date_of_birth_1": "2",
    "date_of_birth_2": "1982",
    "sex": "male",
    "relationship": "partner",
    "gypsy_traveller_status": "not_assessed",
    "special_category_basis": "UK GDPR art. 9(2)(g)",
}
SPECIAL_ROLES = {"officer", "team_leader", "auditor"}


def _person_with_special_data(officer) -> Person:
    household = services.household_create(
        by=officer,
        lead={
            "first_name": "Kathleen",
            "last_name": "Lovell",
            "date_of_birth": date(1979, 8, 2),
            "sex": "female",
            "ethnicity": Person.Ethnicity.GYPSY_ROMANY,
            "health_notes": "Uses a wheelchair outside the home",
        },
        address_line_1="Pitch 2, Hop Garden",
        town="Canterbury",
        postcode="CT4 7AB",
    )
    return household.people.get()


# Adding and changing households and people


def test_an_officer_adds_a_household_with_its_lead_applicant(client, officer):
    client.force_login(officer)
    response = client.post(reverse("residents:household-create"), HOUSEHOLD_FORM, follow=True)
    household = Household.objects.get()
    lead = household.people.get()
    assert response.redirect_chain[-1][0] == household.get_absolute_url()
    assert f"({household.reference}) was added." in response.content.decode()
    assert (lead.first_name, lead.other_names, lead.date_of_birth) == (
        "Bridget",
        "Biddy",
        date(1984, 5, 17),
    )
    assert lead.ethnicity == "irish_traveller" and household.literacy_support


def test_a_failed_household_form_explains_each_problem_and_keeps_what_was_typed(client, officer):
    client.force_login(officer)
    data = HOUSEHOLD_FORM | {
        "postcode": "nonsense",
        "date_of_birth_0": "31",
        "date_of_birth_1": "2",
        "last_name": "",
        "phone": "",
    }
    response = client.post(reverse("residents:household-create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter a real postcode, like NR1 2AB" in page
    assert "Enter the last name" in page
    assert "Date of birth must be a real date" in page
    assert 'value="Bridget"' in page and 'value="nonsense"' in page and "Biddy" in page
    assert not Household.objects.exists()


def test_a_household_form_reports_the_services_rules_at_the_right_field(client, officer):
    client.force_login(officer)
    url = reverse("residents:household-create")
    page = client.post(url, HOUSEHOLD_FORM | {"phone": ""}).content.decode()
    assert "Enter a telephone number, or choose another way to be contacted" in page
    assert 'href="#id_phone"' in page
    page = client.post(url, HOUSEHOLD_FORM | {"date_of_birth_2": "1899"}).content.decode()
    assert "Date of birth must be on or after 1 January 1900" in page
    assert 'href="#id_date_of_birth_0"' in page


def test_a_possible_duplicate_is_shown_and_nothing_is_saved_until_confirmed(client, officer):
    existing = PersonFactory(
        first_name="Bridget", last_name="Doherty", date_of_birth=date(1984, 5, 17)
    )
    client.force_login(officer)
    url = reverse("residents:household-create")
    asked = client.post(url, HOUSEHOLD_FORM)
    page = asked.content.decode()
    assert asked.status_code == 400
    assert "These people may already be recorded" in page
    assert "tick to confirm this is a different person" in page
    assert existing.household.get_absolute_url() in page
    assert 'name="confirm_not_duplicate"' in page
    assert 'value="Bridget"' in page  # what was typed is kept
    assert Household.objects.count() == 1

    unticked = client.post(url, HOUSEHOLD_FORM)
    assert unticked.status_code == 400 and Household.objects.count() == 1

    confirmed = client.post(url, HOUSEHOLD_FORM | {"confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.filter(first_name="Bridget").count() == 2


def test_the_duplicate_question_only_appears_when_there_are_duplicates(client, officer):
    client.force_login(officer)
    page = client.get(reverse("residents:household-create")).content.decode()
    assert "confirm_not_duplicate" not in page


def test_adding_a_person_who_may_be_recorded_elsewhere_asks_first(client, officer):
    household = HouseholdFactory()
    PersonFactory(first_name="Pátrick", last_name="DOHERTY", date_of_birth=date(1982, 2, 1))
    client.force_login(officer)
    url = reverse("residents:person-create", args=[household.pk])
    assert "These people may already be recorded" in client.post(url, PERSON_FORM).content.decode()
    assert not household.people.exists()
    assert client.post(url, PERSON_FORM | {"confirm_not_duplicate": "on"}).status_code == 302
    assert household.people.get().first_name == "Patrick"


def test_an_officer_adds_a_partner_and_the_link_goes_both_ways(client, officer):
    lead = PersonFactory()
    client.force_login(officer)
    response = client.post(
        reverse("residents:person-create", args=[lead.household_id]),
        PERSON_FORM | {"partner": lead.pk},
        follow=True,
    )
    assert "Patrick Doherty was added to household" in response.content.decode()
    lead.refresh_from_db()
    assert lead.partner.first_name == "Patrick"


def test_a_second_lead_applicant_is_refused_with_a_message(client, officer):
    lead = PersonFactory()
    client.force_login(officer)
    response = client.post(
        reverse("residents:person-create", args=[lead.household_id]),
        PERSON_FORM | {"relationship": "lead"},
    )
    assert response.status_code == 400
    assert "This household already has a lead applicant" in response.content.decode()


def test_editing_a_household_without_a_reason_is_refused_with_a_message(client, officer):
    household = HouseholdFactory(phone="")
    client.force_login(officer)
    data = {
        "reference": household.reference,
        "address_line_1": "1 Mill Lane",
        "town": "Ashford",
        "postcode": "TN23 4QP",
        "preferred_contact": "letter",
        "phone": "01632 960001",
    }
    response = client.post(reverse("residents:household-edit", args=[household.pk]), data)
    assert "Enter the reason for this change" in response.content.decode()
    household.refresh_from_db()
    assert household.phone == ""
    client.post(
        reverse("residents:household-edit", args=[household.pk]),
        data | {"reason": "New landline"},
    )
    household.refresh_from_db()
    assert household.phone == "01632 960001"
    assert household.history.latest().history_change_reason == "New landline"


def test_editing_a_person_records_the_reason(client, officer):
    person = PersonFactory(first_name="Jon")
    client.force_login(officer)
    data = PERSON_FORM | {"first_name": "John", "relationship": "lead", "reason": "Typo"}
    response = client.post(reverse("residents:person-edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "John"
    assert person.history.latest().history_change_reason == "Typo"


def test_a_couples_start_is_recorded_on_the_person_and_shown_with_the_partner(client, officer):
    lead = PersonFactory(first_name="Rose", last_name="Ward")
    partner = PersonFactory(
        household=lead.household, relationship="partner", first_name="John", last_name="Ward"
    )
    client.force_login(officer)
    url = reverse("residents:person-edit", args=[partner.pk])
    data = PERSON_FORM | {
        "first_name": "John",
        "last_name": "Ward",
        "relationship": "partner",
        "couple_from_0": "10",
        "couple_from_1": "1",
        "couple_from_2": "2027",
        "reason": "Moving in together in January",
    }
    # Without the partner chosen, the start is refused and what was typed is kept.
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the partner they will live with as a couple" in page
    assert 'value="2027"' in page
    response = client.post(url, data | {"partner": str(lead.pk)})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.couple_from == date(2027, 1, 10)
    page = client.get(lead.household.get_absolute_url()).content.decode()
    assert "Rose Ward (from 10 January 2027)" in page


# Special-category data


@pytest.mark.parametrize(
    "role",
    ["officer", "team_leader", "auditor", "sites_manager", "business_support", "head_of_service"],
)
def test_special_category_data_is_shown_only_to_roles_that_need_it_and_logged(
    client, officer, user_for_role, role
):
    person = _person_with_special_data(officer)
    viewer = officer if role == "officer" else user_for_role(role)
    client.force_login(viewer)
    page = client.get(person.household.get_absolute_url()).content.decode()
    assert "Kathleen Lovell" in page
    shown = "Uses a wheelchair outside the home" in page and "White: Gypsy or Romany" in page
    assert shown == (role in SPECIAL_ROLES)
    logged = SpecialCategoryView.objects.filter(person=person, user=viewer, where="household")
    assert logged.exists() == (role in SPECIAL_ROLES)
    if role in SPECIAL_ROLES:
        assert sorted(logged.get().fields) == sorted(Person.SPECIAL_CATEGORY_FIELDS)


def test_the_person_edit_page_logs_the_special_category_data_it_shows(client, officer):
    person = _person_with_special_data(officer)
    client.force_login(officer)
    page = client.get(reverse("residents:person-edit", args=[person.pk])).content.decode()
    assert "Uses a wheelchair outside the home" in page
    assert SpecialCategoryView.objects.filter(person=person, where="person-edit").exists()


def test_gypsy_or_traveller_status_is_not_labelled_with_the_repealed_housing_act_section(
    client, officer
):
    # The Housing Act 2004 s.225 duty (and its definition) was repealed by the Housing and
    # Planning Act 2016 s.124: status is by ethnicity or the planning definition.
    person = _person_with_special_data(officer)
    client.force_login(officer)
    for url in (
        person.household.get_absolute_url(),
        reverse("residents:person-edit", args=[person.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Gypsy or Traveller status (ethnicity, or the planning definition)" in page
        assert "s.225" not in page


def test_the_history_page_hides_special_category_values_from_a_sites_manager(
    client, officer, sites_manager
):
    person = _person_with_special_data(officer)
    client.force_login(sites_manager)
    page = client.get(reverse("residents:person-history", args=[person.pk])).content.decode()
    assert "(hidden: special-category data)" in page
    assert "wheelchair" not in page and "Gypsy or Romany" not in page
    assert "Kathleen" in page  # the rest of the history is there
    assert not SpecialCategoryView.objects.exists()


def test_the_history_page_shows_special_category_values_to_an_auditor_and_logs_it(
    client, officer, auditor
):
    person = _person_with_special_data(officer)
    services.person_update(
        person=person, by=officer, reason="GP letter received", health_notes="Uses a wheelchair"
    )
    client.force_login(auditor)
    page = client.get(reverse("residents:person-history", args=[person.pk])).content.decode()
    assert "GP letter received" in page and "Uses a wheelchair outside the home" in page
    assert "(hidden: special-category data)" not in page
    view = SpecialCategoryView.objects.get(user=auditor)
    assert view.where == "history" and "health_notes" in view.fields


def test_a_household_has_a_history_page(client, officer, auditor):
    household = services.household_create(
        by=officer,
        lead={
            "first_name": "Ruby",
            "last_name": "Ward",
            "date_of_birth": date(1999, 1, 1),
            "sex": "female",
        },
        address_line_1="1 Mill Lane",
        town="Ashford",
        postcode="TN23 4QP",
    )
    client.force_login(auditor)
    page = client.get(reverse("residents:household-history", args=[household.pk])).content.decode()
    assert "New household recorded" in page and "TN23 4QP" in page


def test_auditors_see_who_has_been_shown_special_category_data(client, officer, auditor):
    person = _person_with_special_data(officer)
    client.force_login(officer)
    client.get(person.household.get_absolute_url())
    client.force_login(auditor)
    page = client.get(reverse("residents:special-category-views")).content.decode()
    assert escape(officer.get_full_name()) in page and "Kathleen Lovell" in page
    assert "Health and disability notes" in page and "household" in page


def test_the_log_names_each_field_and_page_in_words_not_codes(client, officer, auditor):
    person = _person_with_special_data(officer)
    services.special_category_views_record(
        people=[person], user=officer, fields=["health_notes"], where="person-edit"
    )
    services.special_category_views_record(
        people=[person], user=officer, fields=["check:outcome_notes"], where="history"
    )
    client.force_login(auditor)
    rows = client.get(reverse("residents:special-category-views")).context["rows"]
    assert [(row["fields"], row["page"]) for row in rows] == [
        (["Check: what the partner said"], "Change history"),
        (["Health and disability notes"], "Changing a person's details"),
    ]


def _shown(person, user) -> None:
    services.special_category_views_record(
        people=[person], user=user, fields=["health_notes"], where="household"
    )


def test_auditors_find_who_was_shown_one_households_data(client, officer, auditor):
    kathleen = _person_with_special_data(officer)
    other = PersonFactory(first_name="Rose", last_name="Ward")
    _shown(kathleen, officer)
    _shown(other, officer)
    client.force_login(auditor)
    url = reverse("residents:special-category-views")
    page = client.get(url, {"household": kathleen.household.reference.lower()})
    assert [row["view"].person for row in page.context["rows"]] == [kathleen]
    nobody = client.get(url, {"household": "H-NONE"}).content.decode()
    assert "No showings match these filters" in nobody


def test_auditors_find_what_one_person_was_shown(client, officer, team_leader, auditor):
    person = _person_with_special_data(officer)
    _shown(person, officer)
    _shown(person, team_leader)
    client.force_login(auditor)
    page = client.get(reverse("residents:special-category-views"), {"seen_by": team_leader.pk})
    assert [row["view"].user for row in page.context["rows"]] == [team_leader]


@pytest.mark.parametrize("query", [{"seen_by": "²"}, {"seen_by": "abc"}, {"household": "x" * 50}])
def test_a_bad_filter_on_the_special_category_log_is_an_error_not_a_failure(
    client, officer, auditor, query
):
    _shown(_person_with_special_data(officer), officer)
    client.force_login(auditor)
    response = client.get(reverse("residents:special-category-views"), query)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


# Searching


def _search(client, **criteria):
    data = {
        "name": criteria.get("name", ""),
        "reference": criteria.get("reference", ""),
        "postcode": criteria.get("postcode", ""),
    }
    if "date_of_birth" in criteria:
        day = criteria["date_of_birth"]
        data |= {
            "date_of_birth_0": day.day,
            "date_of_birth_1": day.month,
            "date_of_birth_2": day.year,
        }
    return client.post(reverse("residents:household-list"), data, follow=True).content.decode()


@pytest.fixture
def register():
    """Two households to tell apart."""
    doherty = PersonFactory(
        household=HouseholdFactory(reference="H-000101", postcode="ME10 3SX"),
        first_name="Seán",
        last_name="Doherty",
        other_names="Johnny Ward",
        date_of_birth=date(1970, 6, 1),
    )
    PersonFactory(
        household=doherty.household,
        first_name="Lily",
        last_name="Doherty",
        relationship="child",
        date_of_birth=date(2012, 9, 9),
    )
    lee = PersonFactory(
        household=HouseholdFactory(reference="H-000202", postcode="CT4 7AB"),
        first_name="Noah",
        last_name="Lee",
        date_of_birth=date(1988, 3, 3),
    )
    return doherty.household, lee.household


@pytest.mark.parametrize(
    "criteria",
    [
        {"name": "doherty"},
        {"name": "Sean"},  # accents ignored
        {"name": "lily doh"},  # any member, part names, every word must match
        {"name": "Johnny"},  # other names
        {"reference": "000101"},
        {"reference": "h-000101"},
        {"date_of_birth": date(2012, 9, 9)},
        {"postcode": "me10 3sx"},
        {"postcode": "ME103SX"},
        {"postcode": "ME10"},
        {"postcode": "me10 3"},
    ],
)
def test_households_are_found_by_each_criterion(client, officer, register, criteria):
    client.force_login(officer)
    page = _search(client, **criteria)
    assert "H-000101" in page and "H-000202" not in page, criteria


def test_a_name_and_a_date_of_birth_must_belong_to_the_same_person(client, officer, register):
    client.force_login(officer)
    page = _search(client, name="Sean", date_of_birth=date(2012, 9, 9))
    assert "No households match your search" in page and "H-000101" not in page
    # The controls: each name with its own person's date of birth finds the household.
    for name, born in [("Sean", date(1970, 6, 1)), ("Lily", date(2012, 9, 9))]:
        page = _search(client, name=name, date_of_birth=born)
        assert "H-000101" in page and "No households match your search" not in page, name


def test_search_results_show_the_lead_the_number_of_people_and_the_postcode(
    client, officer, register
):
    client.force_login(officer)
    page = _search(client, name="doherty")
    assert "Seán Doherty" in page and "ME10 3SX" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


def test_a_search_posts_and_redirects_to_a_url_with_no_personal_data(client, officer, register):
    client.force_login(officer)
    response = client.post(
        reverse("residents:household-list"),
        {
            "name": "Doherty",
            "postcode": "ME10 3SX",
            "date_of_birth_0": "1",
            "date_of_birth_1": "6",
            "date_of_birth_2": "1970",
        },
    )
    assert response.status_code == 302
    location = response["Location"]
    path, _, query = location.partition("?")
    assert path == reverse("residents:household-list")
    parameters = dict(pair.split("=") for pair in query.split("&"))
    assert set(parameters) <= {"search", "page"}
    assert len(parameters["search"]) >= 16
    for personal in ("Doherty", "doherty", "ME10", "1970"):
        assert personal not in location
    page = client.get(location).content.decode()
    assert "H-000101" in page and "H-000202" not in page
    assert 'value="Doherty"' in page  # the search is shown back, from the session


def test_a_search_key_from_another_session_finds_nothing_of_it(client, officer, auditor, register):
    client.force_login(officer)
    location = client.post(reverse("residents:household-list"), {"name": "Doherty"})["Location"]
    client.force_login(auditor)
    page = client.get(location).content.decode()
    assert "That search has expired" in page


def test_an_empty_search_is_refused_with_a_message(client, officer):
    client.force_login(officer)
    response = client.post(reverse("residents:household-list"), {"name": " "})
    assert response.status_code == 400
    assert (
        "Enter a name, reference, date of birth or postcode to search" in response.content.decode()
    )


def test_an_auditor_may_search_though_they_change_nothing(client, auditor, register):
    client.force_login(auditor)
    assert "H-000101" in _search(client, name="Doherty")


def test_search_results_are_paginated_and_keep_the_search(client, officer):
    for number in range(30):
        PersonFactory(household=HouseholdFactory(reference=f"H-{number:06d}"), last_name="Boswell")
    PersonFactory(last_name="Smith")
    client.force_login(officer)
    response = client.post(reverse("residents:household-list"), {"name": "boswell"})
    first = client.get(response["Location"]).content.decode()
    assert "Showing 1 to 25 of 30 results" in first
    key = response["Location"].split("search=")[1]
    assert f"?search={key}&amp;page=2" in first
    second = client.get(response["Location"] + "&page=2").content.decode()
    assert "H-000029" in second and "H-000000" not in second


def test_a_search_matching_more_than_1000_households_says_so_and_pages_through_1000(
    client, officer
):
    households = Household.objects.bulk_create(
        Household(reference=f"H-{number:06d}") for number in range(1001)
    )
    Person.objects.bulk_create(
        Person(
            household=household,
            first_name="Ann",
            last_name="Boswell",
            relationship=Person.Relationship.LEAD,
            date_of_birth=date(1980, 1, 1),
        )
        for household in households
    )
    client.force_login(officer)
    url = client.post(reverse("residents:household-list"), {"name": "boswell"})["Location"]
    first = client.get(url).content.decode()
    assert "Showing 1 to 25 of more than 1,000 results" in first
    assert "More than 1,000 households match your search. The list shows 1,000 of them" in first
    assert "H-000000" in first
    last = client.get(url + "&page=40").content.decode()
    assert "Showing 976 to 1000 of more than 1,000 results" in last
    assert "H-000999" in last and "H-001000" not in last
    # The whole register is not a search: its count is capped too, with no advice to narrow it.
    register = client.get(reverse("residents:household-list")).content.decode()
    assert "of more than 1,000 results" in register and "match your search" not in register


def test_a_search_finds_names_by_their_folded_form_kept_by_the_database(client, officer):
    person = PersonFactory(first_name="Seán", last_name="Ó Briain")
    person.refresh_from_db()
    assert (person.first_name_folded, person.last_name_folded) == ("SEAN", "O BRIAIN")
    services.person_update(person=person, by=officer, reason="Spelling", last_name="Ní Bhriain")
    person.refresh_from_db()
    assert person.last_name_folded == "NI BHRIAIN"
    client.force_login(officer)
    assert person.household.reference in _search(client, name="bhriain")
    assert "No households match your search" in _search(client, name="briain")


def test_a_name_search_counts_its_households_from_the_people_it_found(officer):
    """The people matching a name lead to their households' ids, whose number is the count:
    no COUNT query. With a postcode too, the count is asked (the ids are not the matches)."""
    from residents.views.households import search_page

    lead = PersonFactory(last_name="Lovell", household__postcode="TN23 4QP")
    PersonFactory(last_name="Lovell", household=lead.household, relationship="child")
    PersonFactory(last_name="Lovell", household__postcode="CT1 1AA")
    with CaptureQueriesContext(connection) as queries:
        page = search_page({"name": "lovell"}, 1)
        assert (page.paginator.count, len(page.object_list)) == (2, 2)
    assert len(queries) == 2 and not any("COUNT(*)" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        page = search_page({"name": "lovell", "postcode": "tn23"}, 1)
        assert [h.pk for h in page.object_list] == [lead.household.pk]
        assert page.paginator.count == 1
    assert any("COUNT(*)" in q["sql"] for q in queries)


def _queries(client, url) -> int:
    client.get(url)  # the first request after sign-in also writes the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_household_list_makes_the_same_number_of_queries_for_1_or_50_households(
    client, officer
):
    client.force_login(officer)
    PersonFactory(household__unit=None)
    url = reverse("residents:household-list")
    one = _queries(client, url)
    for _ in range(49):
        person = PersonFactory()
        PersonFactory(household=person.household, relationship="child")
    assert _queries(client, url) == one


def test_search_results_make_the_same_number_of_queries_for_1_or_50_households(client, officer):
    from tests.factories import UnitFactory

    client.force_login(officer)
    PersonFactory(last_name="Lovell", household__unit=UnitFactory())
    url = client.post(reverse("residents:household-list"), {"name": "lovell"})["Location"]
    one = _queries(client, url)
    for _ in range(49):
        PersonFactory(last_name="Lovell", household__unit=UnitFactory())
    assert _queries(client, url) == one


def test_the_household_page_offers_subject_access_requests_by_name_and_lists_the_lead_first(
    client, officer
):
    lead = PersonFactory(first_name="Amy", last_name="Brown", date_of_birth=date(1990, 1, 1))
    PersonFactory(
        household=lead.household,
        relationship="child",
        first_name="Zed",
        last_name="Adams",
        date_of_birth=date(2015, 1, 1),
    )
    client.force_login(officer)
    page = client.get(lead.household.get_absolute_url()).content.decode()
    offers = page.index("subject access request from Zed Adams")
    assert offers < page.index("subject access request from Amy Brown")
    assert page.index('<th scope="row" class="govuk-table__header">Amy Brown') < page.index(
        '<th scope="row" class="govuk-table__header">Zed Adams'
    )


HOUSEHOLD_PAGE_QUERIES = 7


def test_the_household_page_makes_the_same_number_of_queries_for_1_or_8_people(client, officer):
    lead = PersonFactory()
    client.force_login(officer)
    url = lead.household.get_absolute_url()
    one = _queries(client, url)
    partner = services.person_add(
        household=lead.household,
        by=officer,
        first_name="Jim",
        last_name="Lee",
        date_of_birth=date(1980, 1, 1),
        sex="male",
        relationship="partner",
        partner=lead,
    )
    assert partner.partner == lead
    for number in range(6):
        PersonFactory(household=lead.household, relationship="child", first_name=f"Child{number}")
    LicenceFactory.create_batch(2, household=lead.household)
    assert _queries(client, url) == one
    # The session, the user and their second-step device; the household, its people (listed
    # by name too), its opening and their special-category showing logged in one statement,
    # its licences.
    assert one == HOUSEHOLD_PAGE_QUERIES


def test_households_appear_in_the_navigation_for_those_who_may_see_them(client, sites_manager):
    client.force_login(sites_manager)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("residents:household-list")}">Households<' in page
