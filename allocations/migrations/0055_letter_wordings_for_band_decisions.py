"""Version 1 of the wording of the two letters of a choice-based lettings assessment (the
band, effective date and bedroom need decided, with the review right; and the outcome of a
review of it), seeded as 0022_letter_wordings_for_registration seeded the letters of joining
the register. Housing Act 1996 s.166A(9)(b),(c).
"""

import datetime

from django.db import migrations

EMAIL_TEXT = (
    "Dear {{ lead_name }},\n\n"
    "Please find attached a letter from {{ council_name }} about your application "
    "(reference {{ application_reference }}).\n\n"
    "If you would rather have our letters by post, or in another format, please contact us.\n\n"
    "Allocations team\n{{ council_name }}"
)
EASY_READ_EMAIL_TEXT = (
    "Dear {{ lead_name }},\n\n"
    "We have sent you a letter. It is with this email.\n\n"
    "If you need help to read it, please ring us.\n\n"
    "Allocations team\n{{ council_name }}"
)

# kind -> (title, the standard words, the easy-read words)
WORDINGS = {
    "assessment_decision": (
        "Your priority on the housing register",
        """\
<h1>Your priority on the housing register</h1>
<p>Dear {{ lead_name }},</p>
<p>We have assessed your application for a {{ scheme_words }} (reference {{ application_reference }}) on {{ assessed_on }} under our {{ policy_name }} (version {{ policy_version }}). This letter tells you what we decided and why.</p>
<h2>Your priority</h2>
{% if band %}<p>Your household is in <strong>band {{ band }}</strong>.</p>{% else %}<p>Your household has <strong>{{ points }} points</strong>.</p>{% endif %}
<p>{{ band_meaning }}</p>
<h2>Why</h2>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<h2>Your effective date</h2>
<p>Your effective date is <strong>{{ effective_date }}</strong>. {{ effective_date_reason }}.</p>
<h2>The size of home you need</h2>
<p>Your household needs <strong>{{ bedroom_need }} bedroom{{ bedroom_need|pluralize }}</strong>, for these reasons:</p>
<ul>{% for reason in bedroom_reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<h2>Your right to a review</h2>
<p>You have the right to ask us to review this decision (Housing Act 1996, section 166A(9)). Please ask by {{ review_by }} ({{ review_days }} days from the date of this letter), in writing or by phone, and tell us why you think the decision is wrong and anything we did not know. A team leader who did not make the decision will review it, and we will write to you with the outcome and the reasons for it.</p>
<h2>If your circumstances change</h2>
<p>Please tell us straight away if anything changes for your household, such as who lives with you, your health or your home.</p>
""",
        """\
<h1>Your place on the housing register</h1>
<p>Dear {{ lead_name }},</p>
<p>We have looked at your application for a {{ scheme_words }}.</p>
<div class="box">
  {% if band %}<p><strong>You are in band {{ band }}.</strong></p>{% else %}<p><strong>You have {{ points }} points.</strong></p>{% endif %}
  <p>{{ band_meaning }}</p>
</div>
<p>This is why:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<p>Your date on the register is <strong>{{ effective_date }}</strong>.</p>
<p>You need a home with <strong>{{ bedroom_need }} bedroom{{ bedroom_need|pluralize }}</strong>. This is why:</p>
<ul>{% for reason in bedroom_reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<div class="box">
  <p><strong>What you can do</strong></p>
  <p>If you think we are wrong, you can ask us to look at our decision again. This is called a review. Ask us by <strong>{{ review_by }}</strong>.</p>
  <p>If things change for you, tell us.</p>
</div>
""",
    ),
    "band_review": (
        "The review of your priority",
        """\
<h1>The review of your priority on the housing register</h1>
<p>Dear {{ lead_name }},</p>
<p>On {{ requested_on }} you asked us to review our assessment of {{ assessed_on }} of your application (reference {{ application_reference }}): your priority, your effective date and the size of home you need.</p>
<p>A team leader who did not make that assessment has reviewed it under our {{ policy_name }} (version {{ policy_version }}).</p>
{% if changed %}
<h2>Outcome: we have changed our decision</h2>
{% else %}
<h2>Outcome: we have not changed our decision</h2>
{% endif %}
<h2>The reasons for the review decision</h2>
<p>{{ review_reasons }}</p>
<h2>Your application now</h2>
{% if band %}<p>Your household is in <strong>band {{ band }}</strong>.</p>{% else %}<p>Your household has <strong>{{ points }} points</strong>.</p>{% endif %}
<p>{{ band_meaning }}</p>
<p>Your effective date is <strong>{{ effective_date }}</strong>.</p>
<p>Your household needs <strong>{{ bedroom_need }} bedroom{{ bedroom_need|pluralize }}</strong>.</p>
{% if not changed %}<p>If you think we did not follow our policy or the law, you can complain through our complaints procedure and then, if you are still unhappy, to the Local Government and Social Care Ombudsman (www.lgo.org.uk). You can also get free, independent advice, for example from Citizens Advice or Shelter.</p>{% endif %}
<p>If your circumstances change, please tell us straight away.</p>
""",
        """\
<h1>We have looked at our decision again</h1>
<p>Dear {{ lead_name }},</p>
<p>You asked us on {{ requested_on }} to look again at your place on the housing register.</p>
{% if changed %}
<div class="box"><p><strong>We have changed our decision.</strong></p></div>
{% else %}
<div class="box"><p><strong>We have not changed our decision.</strong></p></div>
{% endif %}
<p>This is why:</p>
<p>{{ review_reasons }}</p>
<div class="box">
  {% if band %}<p>You are in band {{ band }}.</p>{% else %}<p>You have {{ points }} points.</p>{% endif %}
  <p>Your date on the register is {{ effective_date }}.</p>
  <p>You need a home with {{ bedroom_need }} bedroom{{ bedroom_need|pluralize }}.</p>
</div>
{% if not changed %}<p>If you think we got it wrong, you can complain to us. Then you can complain to the Ombudsman (www.lgo.org.uk).</p>{% endif %}
""",
    ),
}

START = datetime.date(2020, 1, 1)
REASON = "The wording of the letters when a band assessment was first explained to households"


def wordings_seed(apps, schema_editor):
    LetterWording = apps.get_model("allocations", "LetterWording")
    for kind, (title, plain, easy_read) in WORDINGS.items():
        for variant, body, email_text in (
            ("standard", plain, EMAIL_TEXT),
            ("easy_read", easy_read, EASY_READ_EMAIL_TEXT),
            ("large_print", plain, EMAIL_TEXT),
        ):
            LetterWording.objects.get_or_create(
                kind=kind,
                variant=variant,
                version=1,
                defaults={
                    "subject": title,
                    "body": body.strip(),
                    "email_text": email_text,
                    "effective_from": START,
                    "reason": REASON,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0054_roles_band_reviews")]

    operations = [migrations.RunPython(wordings_seed, migrations.RunPython.noop)]
