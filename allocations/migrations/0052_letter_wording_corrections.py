"""Corrected wordings, each a new version:

- The offer and refusal letters name the penalty the policy gives for refusing too many
  offers: under a policy whose penalty is the lowest band (`refusal_penalty: lowest_band`),
  they used to warn of a suspension the policy does not give.
- The letter upholding a refused registration on review says where the household can go next
  (the council's complaints procedure, then the Local Government and Social Care Ombudsman;
  independent advice): it used to end with the decision.

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
UPHELD = "{% if not overturned %}<p>If your circumstances change, you can apply again at any time.</p>{% endif %}"
CHANGES[("registration_review", "standard")] = (
    UPHELD,
    UPHELD.replace(
        "{% endif %}",
        "\n<p>If you think we did not follow our policy or the law, you can complain through our "
        "complaints procedure and then, if you are still unhappy, to the Local Government and "
        "Social Care Ombudsman (www.lgo.org.uk). You can also get free, independent advice, "
        "for example from Citizens Advice or Shelter.</p>{% endif %}",
    ),
)
EASY_REASONS = "<p>This is why:</p>\n<p>{{ review_reasons }}</p>"
CHANGES[("registration_review", "easy_read")] = (
    EASY_REASONS,
    EASY_REASONS
    + "\n{% if not overturned %}<p>If you think we got it wrong, you can complain to us. Then "
    "you can complain to the Ombudsman (www.lgo.org.uk).</p>{% endif %}",
)
for kind in ("offer", "refusal", "registration_review"):
    CHANGES[(kind, "large_print")] = CHANGES[(kind, "standard")]
REASONS = {
    "offer": "Corrected: the letter names the policy's penalty for refusing offers (the lowest "
    "band, where the policy says so), not always a suspension",
    "registration_review": "Corrected: a review that upholds the refusal says where the "
    "household can go next (complaints, the Ombudsman, independent advice)",
}
REASONS["refusal"] = REASONS["offer"]


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
            reason=REASONS[kind],
        )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0051_letter_to_the_seller_when_a_nominee_withdraws")]

    operations = [migrations.RunPython(wordings_seed, migrations.RunPython.noop)]
