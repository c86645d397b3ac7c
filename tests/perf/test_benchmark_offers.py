"""The offers benchmark's fixture: fresh vacancies whose top applicant can be offered at once,
through the very form and fields the benchmark posts."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from allocations import services
from allocations.management.benchmark_offers import SITE_NAME, offer_entries, offer_form_fields
from allocations.models import Offer, Vacancy
from sites.models import Unit


def test_each_prepared_vacancy_is_frozen_and_its_top_applicant_can_be_offered(officer):
    entries = offer_entries(3, by=officer)

    assert len({entry.vacancy_id for entry in entries}) == 3
    for entry in entries:
        vacancy = Vacancy.objects.select_related("unit__site").get(pk=entry.vacancy_id)
        assert vacancy.status == Vacancy.Status.CLOSED
        assert vacancy.unit.site.name == SITE_NAME
        assert vacancy.unit.reference.startswith("BENCH-OFFER-")
        respond_by = timezone.localdate() + timedelta(days=7)
        assert services.offer_make_problems(entry=entry, respond_by=respond_by) == {}


def test_the_benchmark_s_form_fields_make_the_offer_through_the_offer_form(client, officer):
    entry = offer_entries(1, by=officer)[0]
    client.force_login(officer)

    response = client.post(
        reverse("allocations:offer-create", args=[entry.pk]),
        offer_form_fields(timezone.localdate() + timedelta(days=7)),
    )

    assert response.status_code == 302
    offer = Offer.objects.get(entry=entry)
    assert offer.status == Offer.Status.OPEN
    assert offer.respond_by == timezone.localdate() + timedelta(days=7)
    assert Unit.objects.get(vacancies=entry.vacancy_id).status == Unit.Status.UNDER_OFFER


def test_a_second_batch_is_on_new_vacancies_on_the_same_benchmark_site(officer):
    first = offer_entries(1, by=officer)[0]
    second = offer_entries(1, by=officer)[0]

    assert first.vacancy_id != second.vacancy_id
    assert first.vacancy.unit.site_id == second.vacancy.unit.site_id
