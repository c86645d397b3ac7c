"""The offer and refusal letters name the penalty the policy gives for refusing too many
offers: under a policy whose penalty is the lowest band (`refusal_penalty: lowest_band`), they
used to warn of a suspension the policy does not give.

A new version of each wording whose latest version still has the sentence as seeded; a
wording an administrator has already changed is left to them (its page shows the new fields).
"""

import datetime

from django.db import migrations

LOWEST = '{% if refusal_penalty == "lowest_band" %}'
CHANGES = {
    ("offer", "standard"): (
        "after which an application is suspended.",
        f"after which an application is {LOWEST}placed in our lowest band (band "
        "{{ lowest_band }}) for a period{% else %}suspended{% endif %}.",
    ),
    ("refusal", "standard"): (
        "If the number reaches {{ refusal_limit }}, your application will be suspended for "
        "{{ suspension_months }} months.",
        f"If the number reaches {{{{ refusal_limit }}}}, your application will be {LOWEST}placed "
        "in our lowest band (band {{ lowest_band }}){% else %}suspended{% endif %} for "
        "{{ suspension_months }} months.",
    ),
    ("refusal", "easy_read"): (
        "If you say no {{ refusal_limit }} times, we stop your application for "
        "{{ suspension_months }} months.",
        f"If you say no {{{{ refusal_limit }}}} times, we {LOWEST}put your application in our "
        "lowest band{% else %}stop your application{% endif %} for {{ suspension_months }} "
        "months.",
    ),
}
CHANGES[("offer", "large_print")] = CHANGES[("offer", "standard")]
CHANGES[("refusal", "large_print")] = CHANGES[("refusal", "standard")]
REASON = (
    "Corrected: the letter names the policy's penalty for refusing offers (the lowest band, "
    "where the policy says so), not always a suspension"
)


def wordings_seed(apps, schema_editor):
    """Idempotent: once the new version is there, the latest no longer has the old words."""
    LetterWording = apps.get_model("allocations", "LetterWording")
    for (kind, variant), (old, new) in CHANGES.items():
        latest = LetterWording.objects.filter(kind=kind, variant=variant).order_by("-version").first()
        if latest is None or old not in latest.body:
            continue
        LetterWording.objects.create(
            kind=kind,
            variant=variant,
            version=latest.version + 1,
            subject=latest.subject,
            body=latest.body.replace(old, new),
            email_text=latest.email_text,
            effective_from=datetime.date(2020, 1, 1),
            reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0048_check_stopped_when_consent_withdrawn")]

    operations = [migrations.RunPython(wordings_seed, migrations.RunPython.noop)]
