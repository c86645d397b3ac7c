"""Work items' source keys in the one shape, "<kind>:<part>[:<part>...]" (projects.work).

Keys written before had each app's own shape ("interview-12", "licence-breach-4-remedy-20261203",
"census:follow-up:9"). The new shape is what callers now build, so an item created before this
migration is still found (and not created twice) after it. History rows keep what was written.
"""

import re

from django.db import migrations

# (legacy pattern, new key template): the groups fill the template in order.
LEGACY = [
    (r"interview-(\d+)", "interview:{0}"),
    (r"check-(\d+)", "check:{0}"),
    (r"site-visit-(\d+)-(\d+)", "site_visit:{0}:{1}"),
    (r"offer-(\d+)", "offer_reply:{0}"),
    (r"decision-(\d+)", "decision_approval:{0}"),
    (r"decision-returned-(\d+)", "decision_returned:{0}"),
    (r"licence-sign-up-(\d+)", "licence_sign_up:{0}"),
    (r"new-resident-visit-(\d+)", "new_resident_visit:{0}"),
    (r"licence-breach-(\d+)", "licence_breach:{0}"),
    (r"licence-breach-(\d+)-remedy-(\d{8})", "breach_remedy_due:{0}:{1}"),
    (r"census:follow-up:(\d+)", "census_follow_up:{0}"),
    (r"census:suspected-breach:(\d+)", "suspected_breach:{0}"),
    (r"census:round-not-started:(\d+)", "census_round_not_started:{0}"),
    (r"census:returns-outstanding:(\d+):(\d+)", "census_returns_outstanding:{0}:{1}"),
    (r"projects:risk-review:(\d+):(\d{4}-\d{2}-\d{2})", "risk_review:{0}:{1}"),
]


def new_key(key: str) -> str | None:
    for pattern, template in LEGACY:
        match = re.fullmatch(pattern, key)
        if match:
            return template.format(*match.groups())
    return None


def rewrite(apps, schema_editor):
    WorkItem = apps.get_model("projects", "WorkItem")
    for item in WorkItem.objects.exclude(source_key=None).only("pk", "source_key"):
        key = new_key(item.source_key)
        if key is not None:
            WorkItem.objects.filter(pk=item.pk).update(source_key=key)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
