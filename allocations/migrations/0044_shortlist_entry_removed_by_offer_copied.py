"""Which accepted offer took a household off each shortlist (0043 added the field), filled in
for households taken off before it was kept, so that withdrawing that offer still puts them
back. A migration of its own, like 0042: run in the same transaction as 0043's new column,
the rows it writes would leave foreign-key checks pending when Django then built the
column's index.

Only accepting an offer took a household off a shortlist (and a provider's let on
nomination, which is final and names no offer here): the offer is the household's accepted
offer of a home in the same cycle, the one the reason names ("Accepted an offer of
<vacancy> in the same cycle"). An entry whose offer is no longer accepted, or that no
accepted offer explains, is left as it is."""

from django.db import migrations
from django.utils import timezone

# The reason of the history row each copy below writes.
REASON = (
    "The accepted offer that took the household off this shortlist: kept on the entry from "
    "now on, read from the offers"
)
# How the service worded the reason before this migration; read here once, never at run time.
ACCEPTED = "Accepted an offer of "


def removals_linked_to_offers(apps, schema_editor):
    ShortlistEntry = apps.get_model("allocations", "ShortlistEntry")
    History = apps.get_model("allocations", "HistoricalShortlistEntry")
    Offer = apps.get_model("allocations", "Offer")
    copied = [f.attname for f in History._meta.concrete_fields if not f.name.startswith("history_")]
    removed = (
        ShortlistEntry.objects.exclude(removed_reason="")
        .filter(removed_by_offer__isnull=True, vacancy__cycle__isnull=False)
        .values_list("pk", "application_id", "vacancy_id", "vacancy__cycle_id", "removed_reason")
    )
    for pk, application_id, vacancy_id, cycle_id, reason in removed.iterator():
        if not reason.startswith(ACCEPTED):
            continue
        accepted = list(
            Offer.objects.filter(
                application_id=application_id, status="accepted", vacancy__cycle_id=cycle_id
            )
            .exclude(vacancy_id=vacancy_id)
            .values_list("pk", "vacancy__reference")
        )
        named = [
            offer
            for offer, reference in accepted
            if reason == f"{ACCEPTED}{reference} in the same cycle"
        ]
        if len(named) != 1:
            continue
        ShortlistEntry.objects.filter(pk=pk).update(removed_by_offer_id=named[0])
        History.objects.create(
            **ShortlistEntry.objects.filter(pk=pk).values(*copied).get(),
            history_date=timezone.now(),
            history_type="~",
            history_user_id=None,
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0043_shortlist_entry_removed_by_offer"),
    ]

    operations = [
        migrations.RunPython(removals_linked_to_offers, migrations.RunPython.noop),
    ]
