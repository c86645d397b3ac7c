from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from config.kernel.records import REASON_MAX_LENGTH
from residents import services
from residents.models import LAWFUL_BASIS_DEFAULT, Household, Person, SpecialCategoryView
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOUSEHOLD = {
    "address_line_1": "Pitch 4, Oak Lane",
    "town": "Ashford",
    "postcode": "tn23  4qp",
    "phone": "07700 900123",
    "preferred_contact": Household.PreferredContact.TEXT,
    "literacy_support": True,
}
LEAD = {
    "first_name": "Bridget",
    "last_name": "Doherty",
    "date_of_birth": date(1984, 5, 17),
    "sex": Person.Sex.FEMALE,
}


def _household(officer, **overrides):
    return services.household_create(by=officer, lead=LEAD, **(HOUSEHOLD | overrides))


def _add(officer, household, **fields):
    person = {
        "first_name": "Patrick",
        "last_name": "Doherty",
        "date_of_birth": date(1982, 2, 1),
        "sex": Person.Sex.MALE,
        "relationship": Person.Relationship.PARTNER,
    } | fields
    return services.person_add(household=household, by=officer, **person)


def test_a_new_household_gets_the_next_reference_a_tidy_postcode_and_its_lead(officer):
    household = _household(officer)
    lead = household.people.get()
    assert household.reference.startswith("H-") and len(household.reference) == 8
    assert household.postcode == "TN23 4QP"
    assert lead.relationship == Person.Relationship.LEAD
    assert lead.special_category_basis == LAWFUL_BASIS_DEFAULT
    assert household.history.get().history_user == officer
    assert lead.history.get().history_user == officer


def test_each_new_household_gets_a_different_reference(officer):
    first = _household(officer)
    second = services.household_create(
        by=officer, lead=LEAD | {"first_name": "Kathleen"}, **HOUSEHOLD
    )
    assert first.reference != second.reference


def test_a_reference_given_by_the_officer_is_kept(officer):
    assert _household(officer, reference="GT-1998-07").reference == "GT-1998-07"


def test_a_household_and_its_lead_are_saved_together_or_not_at_all(officer):
    with pytest.raises(ValidationError) as error:
        services.household_create(
            by=officer, lead=LEAD | {"date_of_birth": date(1890, 1, 1)}, **HOUSEHOLD
        )
    assert "date_of_birth" in error.value.message_dict
    assert not Household.objects.exists()


def test_every_problem_with_household_and_lead_is_reported_at_once(officer):
    with pytest.raises(ValidationError) as error:
        services.household_create(
            by=officer,
            lead=LEAD | {"date_of_birth": timezone.localdate() + timedelta(days=1)},
            **(HOUSEHOLD | {"postcode": "NOT A CODE"}),
        )
    assert {"date_of_birth", "postcode"} <= set(error.value.message_dict)


def test_text_messages_need_a_telephone_number(officer):
    with pytest.raises(ValidationError, match="Enter a telephone number"):
        _household(officer, phone="")


def test_letters_need_an_address_with_a_postcode(officer):
    with pytest.raises(ValidationError, match="Letters need an address"):
        _household(
            officer,
            preferred_contact=Household.PreferredContact.LETTER,
            address_line_1="",
            town="",
            postcode="",
        )


def test_a_household_with_no_fixed_address_can_be_contacted_by_phone(officer):
    household = _household(officer, address_line_1="", town="", postcode="")
    assert household.address_line_1 == ""


def test_an_interpreter_needs_a_language(officer):
    with pytest.raises(ValidationError, match="Enter the language"):
        _household(officer, interpreter_needed=True, interpreter_language=" ")


def test_no_interpreter_means_no_interpreter_language_is_kept(officer):
    household = _household(officer, interpreter_needed=False, interpreter_language="Romani")
    assert household.interpreter_language == ""


def test_changing_a_household_needs_a_reason(officer):
    household = _household(officer)
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.household_update(household=household, by=officer, reason=" ", phone="")


def test_a_household_change_records_who_and_why(officer):
    household = _household(officer)
    services.household_update(
        household=household,
        by=officer,
        reason="Moved to Willow Park",
        interpreter_needed=True,
        interpreter_language="Romanian",
    )
    latest = household.history.latest()
    assert latest.history_user == officer and latest.history_change_reason == "Moved to Willow Park"
    assert latest.interpreter_language == "Romanian"


def test_a_reason_longer_than_the_history_can_keep_is_refused(officer):
    household = _household(officer)
    with pytest.raises(ValidationError, match=f"{REASON_MAX_LENGTH} characters or fewer"):
        services.household_update(
            household=household, by=officer, reason="x" * (REASON_MAX_LENGTH + 1), phone=""
        )


def test_a_date_of_birth_in_the_future_is_refused(officer):
    household = HouseholdFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="today or in the past"):
        _add(officer, household, date_of_birth=tomorrow)


def test_a_date_of_birth_before_1900_is_refused(officer):
    with pytest.raises(ValidationError, match="on or after 1 January 1900"):
        _add(officer, HouseholdFactory(), date_of_birth=date(1899, 12, 31))


def test_a_baby_born_today_can_be_added(officer):
    person = _add(
        officer,
        HouseholdFactory(),
        date_of_birth=timezone.localdate(),
        relationship=Person.Relationship.CHILD,
    )
    assert person.age == 0


def test_a_due_date_more_than_10_months_ahead_is_refused(officer):
    due = timezone.localdate() + timedelta(days=320)
    with pytest.raises(ValidationError, match="within the next 10 months"):
        _add(officer, HouseholdFactory(), pregnancy_due_date=due, pregnancy_evidence="MATB1")


def test_a_due_date_more_than_a_month_ago_is_refused(officer):
    due = timezone.localdate() - timedelta(days=35)
    with pytest.raises(ValidationError, match="no more than 1 month ago"):
        _add(officer, HouseholdFactory(), pregnancy_due_date=due, pregnancy_evidence="MATB1")


def test_a_due_date_needs_its_evidence(officer):
    due = timezone.localdate() + timedelta(days=90)
    with pytest.raises(ValidationError, match="Enter the evidence of pregnancy"):
        _add(officer, HouseholdFactory(), pregnancy_due_date=due)


def test_an_evidenced_due_date_within_the_window_is_recorded(officer):
    due = timezone.localdate() + timedelta(days=90)
    person = _add(
        officer,
        HouseholdFactory(),
        sex=Person.Sex.FEMALE,
        pregnancy_due_date=due,
        pregnancy_evidence="MATB1 seen 1 November",
    )
    assert person.pregnancy_due_date == due


def test_an_old_due_date_does_not_block_other_changes(officer):
    person = PersonFactory(
        pregnancy_due_date=timezone.localdate() - timedelta(days=60), pregnancy_evidence="MATB1"
    )
    services.person_update(person=person, by=officer, reason="Spelling", first_name="Máire")
    person.refresh_from_db()
    assert person.first_name == "Máire"


def test_partners_are_linked_both_ways(officer):
    lead = PersonFactory()
    partner = _add(officer, lead.household, partner=lead)
    lead.refresh_from_db()
    assert partner.partner == lead and lead.partner == partner
    assert lead.history.latest().partner_id == partner.pk  # the link has its history row too


def test_a_partner_must_be_in_the_same_household(officer):
    stranger = PersonFactory()
    with pytest.raises(ValidationError, match="same household"):
        _add(officer, HouseholdFactory(), partner=stranger)


def test_a_person_already_partnered_cannot_be_taken_as_a_partner(officer):
    lead = PersonFactory()
    _add(officer, lead.household, partner=lead)
    with pytest.raises(ValidationError, match="already has a partner"):
        _add(officer, lead.household, first_name="Tom", partner=lead)


def test_changing_partner_frees_the_old_partner(officer):
    lead = PersonFactory()
    first = _add(officer, lead.household, partner=lead)
    second = _add(officer, lead.household, first_name="Levi", relationship="other")
    services.person_update(person=lead, by=officer, reason="New partner", partner=second)
    for person in (lead, first, second):
        person.refresh_from_db()
    assert lead.partner == second and second.partner == lead
    assert first.partner is None


def test_removing_a_partner_removes_the_link_both_ways(officer):
    lead = PersonFactory()
    partner = _add(officer, lead.household, partner=lead)
    services.person_update(person=partner, by=officer, reason="Separated", partner=None)
    lead.refresh_from_db()
    assert lead.partner is None


def test_a_household_has_only_one_lead_applicant(officer):
    lead = PersonFactory()
    with pytest.raises(ValidationError, match="already has a lead applicant"):
        _add(officer, lead.household, relationship=Person.Relationship.LEAD)


def test_another_person_cannot_be_made_lead_while_there_is_one(officer):
    lead = PersonFactory()
    partner = _add(officer, lead.household)
    with pytest.raises(ValidationError, match="already has a lead applicant"):
        services.person_update(
            person=partner, by=officer, reason="Swap", relationship=Person.Relationship.LEAD
        )


def test_the_database_refuses_a_second_lead_applicant_too():
    lead = PersonFactory()
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonFactory(household=lead.household)


def test_changing_a_person_needs_a_reason(officer):
    with pytest.raises(ValidationError, match="Enter the reason for this change"):
        services.person_update(person=PersonFactory(), by=officer, reason="", first_name="X")


def test_a_possible_duplicate_is_refused_without_confirmation(officer):
    existing = PersonFactory(
        first_name="Bridget", last_name="Doherty", date_of_birth=LEAD["date_of_birth"]
    )
    with pytest.raises(services.PossibleDuplicates) as error:
        _household(officer)
    assert error.value.people == [existing]
    assert Household.objects.count() == 1


def test_a_possible_duplicate_is_saved_once_the_officer_confirms_it_is_someone_else(officer):
    existing = PersonFactory(
        first_name="Bridget", last_name="Doherty", date_of_birth=LEAD["date_of_birth"]
    )
    household = services.household_create(
        by=officer, lead=LEAD, not_duplicate_of=[existing.pk], **HOUSEHOLD
    )
    assert household.people.get().first_name == "Bridget"


def test_confirming_one_duplicate_does_not_confirm_another(officer):
    first = PersonFactory(
        first_name="Bridget", last_name="Doherty", date_of_birth=LEAD["date_of_birth"]
    )
    second = PersonFactory(
        first_name="BRIDGET", last_name="doherty", date_of_birth=LEAD["date_of_birth"]
    )
    with pytest.raises(services.PossibleDuplicates) as error:
        services.household_create(by=officer, lead=LEAD, not_duplicate_of=[first.pk], **HOUSEHOLD)
    assert error.value.people == [second]


def test_duplicates_are_found_whatever_the_accents_and_capitals(officer):
    PersonFactory(first_name="Máire", last_name="Ó Briain", date_of_birth=date(1990, 3, 1))
    with pytest.raises(services.PossibleDuplicates):
        _add(
            officer,
            HouseholdFactory(),
            first_name="MAIRE",
            last_name="o briain",
            date_of_birth=date(1990, 3, 1),
        )


def test_the_same_name_with_another_date_of_birth_is_not_a_duplicate(officer):
    PersonFactory(first_name="Patrick", last_name="Doherty", date_of_birth=date(1982, 2, 2))
    assert _add(officer, HouseholdFactory()).pk


def test_special_category_viewings_are_logged_and_cannot_be_changed(officer):
    person = PersonFactory()
    Person.special_category_view_log(
        record=person, user=officer, fields=["health_notes", "ethnicity"], where="history"
    )
    view = SpecialCategoryView.objects.get()
    assert (view.person, view.user, view.fields, view.where) == (
        person,
        officer,
        ["ethnicity", "health_notes"],
        "history",
    )
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        SpecialCategoryView.objects.filter(pk=view.pk).update(where="elsewhere")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        SpecialCategoryView.objects.filter(pk=view.pk).delete()
