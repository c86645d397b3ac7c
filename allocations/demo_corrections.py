"""The corrections demo (issue 16): a household on the let home's frozen shortlist whose band
was wrong — medical evidence received before the shortlist was frozen had not been acted on —
corrected after the fact, so that the replay shows the let home it would have come first for.
The remedy is left for the demo team leader to decide.

Everything goes through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from allocations import services
from allocations.models import Correction, Offer, ShortlistEntry, Vacancy
from allocations.selectors.corrections import shortlist_corrected_replay
from config.demo import Demo, DemoStep

REASON = (
    "Medical evidence (the GP's letter about the stairs) arrived before the home was "
    "advertised and was not acted on: band 1 (urgent medical) applied from then"
)


def corrections_load(demo: Demo) -> None:
    offer = (
        Offer.objects.filter(status=Offer.Status.ACCEPTED, vacancy__status=Vacancy.Status.LET)
        .select_related("vacancy__policy_version", "entry")
        .order_by("vacancy__frozen_at")
        .first()
    )
    if offer is None or offer.vacancy.policy_version is None:
        return
    vacancy, let_position = offer.vacancy, offer.entry.position
    lines = list(ShortlistEntry.objects.filter(vacancy=vacancy).select_related("application"))
    snapshots = [line.snapshot for line in lines]
    below = sorted(
        (line for line in lines if line.position and line.position > let_position),
        key=lambda line: line.position,
    )
    for line in below:
        application = line.application
        if application.band in (None, 1):
            continue
        trial = Correction(application_id=application.pk, field="band", value_after="1")
        position, _ = shortlist_corrected_replay(vacancy, vacancy.policy_version, snapshots, trial)
        if position is not None and position <= let_position:
            frozen_on = timezone.localdate(vacancy.frozen_at)
            services.correction_record(
                application=application,
                field=Correction.Field.BAND,
                value=1,
                applies_from=max(application.registration_date, frozen_on - timedelta(days=14)),
                reason=REASON,
                # A band is corrected by a team leader (as a band override is approved by one).
                by=demo.user("teamleader"),
            )
            return


CORRECTIONS = DemoStep(
    loaded=lambda: Correction.objects.filter(reason=REASON).exists(), load=corrections_load
)
