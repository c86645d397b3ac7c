"""Benchmark (not a test): offers made through the web server, in parallel ÷ one after another.

`benchmark_all --only offers` runs it. Each round prepares fresh vacancies, each with a frozen
shortlist whose top applicant has every check back, then POSTs the real offer form
(/allocations/shortlist/<entry>/offer/) to gunicorn's sync worker processes: once by one
client, one offer after another, and once by several signed-in clients at the same time, each
on its own vacancies. The ratio is the parallel round's wall time ÷ the sequential round's: with
four worker processes and offers that do not wait for one another it falls well below 1.

The offers are real writes made by other processes, so nothing can be rolled back: the rows
are dedicated benchmark data, clearly labelled — one site "Benchmark offers (load test)", its
pitches "BENCH-OFFER-…" and households "BO-…" with their applications, partners named
"Benchmark partner (load test)". Run it on a benchmark database, as benchmark_all's
demo_load expects.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from allocations import services
from allocations.models import Application, Partner, Scheme, ShortlistEntry
from config.history import acting_as, system_user
from residents.models import Household, Person
from sites.models import Site, Unit

SITE_NAME = "Benchmark offers (load test)"
PARTNER_NAME = "Benchmark partner (load test)"
REFERENCE_PREFIX = "BO"  # its households' and applications' references
CHECK_KINDS = (Partner.Kind.POLICE, Partner.Kind.PREVIOUS_LANDLORD)


@dataclass(frozen=True)
class OfferRound:
    seconds: float
    offers: int


def offer_entries(count: int, *, by) -> list[ShortlistEntry]:
    """`count` fresh vacancies on the benchmark site, each with its shortlist frozen through
    the services and its top applicant's checks back: every entry can be offered at once."""
    today = timezone.localdate()
    stamp = f"{time.time_ns() % 10**9:09d}"
    with acting_as(system_user()), transaction.atomic():
        site = _site()
        partners = {kind: _partner(kind) for kind in CHECK_KINDS}
        households = Household.objects.bulk_create(
            Household(
                reference=f"{REFERENCE_PREFIX}{stamp}{i:03d}", address_line_1=f"{i + 1} Bench Lane"
            )
            for i in range(count)
        )
        Person.objects.bulk_create(
            Person(
                household=household,
                first_name="Bench",
                last_name=f"Mark {household.reference}",
                date_of_birth=date(1980, 1, 1),
                relationship="lead",
                sex="female",
            )
            for household in households
        )
        applications = Application.objects.bulk_create(
            Application(
                reference=f"{REFERENCE_PREFIX}{stamp}{i:03d}",
                household=household,
                scheme=Scheme.PITCH,
                kind=Application.Kind.NEW,
                status=Application.Status.ACTIVE,
                registration_date=date(2022, 1, 1),
                effective_date=date(2022, 1, 1),
                consent_to_enquiries=True,
                points=50,
                bedroom_need=2,
            )
            for i, household in enumerate(households)
        )
        units = Unit.objects.bulk_create(
            Unit(
                site=site,
                reference=f"BENCH-OFFER-{stamp}-{i:03d}",
                kind=Unit.Kind.PITCH,
                status=Unit.Status.VOID,
                weekly_charge=Decimal("82.50"),
                has_electricity_meter=True,
                max_caravans=2,
                void_date=today - timedelta(days=30),
                void_reason=Unit.VoidReason.TRANSFER,
            )
            for i in range(count)
        )
    entries = []
    for unit, application in zip(units, applications, strict=True):
        with transaction.atomic():
            vacancy = services.vacancy_create(
                unit=unit,
                scheme=Scheme.PITCH,
                advert_text="Benchmark vacancy (load test)",
                opens_on=today - timedelta(days=7),
                closes_on=today,
                by=by,
            )
            services.vacancy_advertise(vacancy=vacancy, by=by)
            services.bid_place(vacancy=vacancy, application=application, by=by)
            frozen = services.shortlist_freeze(vacancy=vacancy, by=by)
            for kind, partner in partners.items():
                check = services.check_request(
                    application=application,
                    partner=partner,
                    purpose="Benchmark offer",
                    legal_basis="Benchmark (load test)",
                    due_on=today + timedelta(days=14),
                    by=by,
                )
                services.check_return(
                    check=check, returned_on=today, outcome="clear", notes=kind, by=by
                )
        top = min((e for e in frozen if e.eligible), key=lambda e: e.position)
        entries.append(top)
    return entries


def _site() -> Site:
    site = Site.objects.filter(name=SITE_NAME).first()
    if site is None:
        site = Site.objects.create(
            name=SITE_NAME,
            reference=f"BENCH-{time.time_ns() % 10**6:06d}",
            kind=Site.Kind.GYPSY_TRAVELLER_SITE,
            address_line_1="1 Bench Lane",
            town="Ashford",
            postcode="TN23 4QP",
        )
    return site


def _partner(kind: str) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        name=f"{PARTNER_NAME}: {Partner.Kind(kind).label}",
        kind=kind,
        defaults={"agreement": "Benchmark (load test)"},
    )
    return partner


def offer_post(client, entry_pk: int) -> None:
    """Make one offer through the real form; anything but the redirect after saving fails."""
    answer = client.request(
        "POST",
        f"/allocations/shortlist/{entry_pk}/offer/",
        form={
            "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME],
            **offer_form_fields(timezone.localdate() + timedelta(days=7)),
        },
    )
    if answer.status != 302:
        raise RuntimeError(
            f"The offer form for shortlist entry {entry_pk} answered {answer.status}"
            + (": " + _first_error(answer.body) if answer.status == 200 else "")
        )


def offer_form_fields(day: date) -> dict[str, str]:
    # GovDateField: three inputs, day, month and year.
    return {
        "respond_by_0": str(day.day),
        "respond_by_1": str(day.month),
        "respond_by_2": str(day.year),
    }


def _first_error(body: bytes) -> str:
    text = body.decode(errors="replace")
    marker = text.find("govuk-error-summary__list")
    return " ".join(text[marker : marker + 400].split()) if marker >= 0 else "no error shown"


def offer_form_get(client, entry_pk: int) -> None:
    """Open one offer form: the same view, sign-in and entry as the offer, writing nothing."""
    answer = client.get(f"/allocations/shortlist/{entry_pk}/offer/")
    if answer.status != 200:
        raise RuntimeError(
            f"The offer form for shortlist entry {entry_pk} answered {answer.status}"
        )


def offer_round(clients: list, entries: list[ShortlistEntry], *, action=offer_post) -> OfferRound:
    """`action` (an offer made, by default) for each entry: one client does them strictly in
    turn; several clients each do their share in turn, all clients at the same time."""
    connection.close()  # the workers write; this process only waits
    shares = [entries[index :: len(clients)] for index in range(len(clients))]

    def make(client, share) -> None:
        for entry in share:
            action(client, entry.pk)

    started = time.perf_counter()
    if len(clients) == 1:
        make(clients[0], entries)
    else:
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            for done in [pool.submit(make, c, s) for c, s in zip(clients, shares, strict=True)]:
                done.result()
    return OfferRound(time.perf_counter() - started, len(entries))
