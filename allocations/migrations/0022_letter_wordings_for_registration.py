"""Version 1 of the wording of the two letters of joining the register (a refused
registration, and the outcome of its review), which were template files on the branch that
added them while letters' wording became editable on another: copied here as they were, and
seeded as 0018_letter_wordings_from_templates seeded the others.
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
    'registration_refused': (
        'Your application to join the housing register',
        """\
<h1>Your application to join the housing register</h1>
<p>Dear {{ lead_name }},</p>
<p>Thank you for your application for a {{ scheme_words }} (reference {{ application_reference }}). We have considered it under our {{ policy_name }} (version {{ policy_version }}), and we have decided that your household does not qualify to join the housing register, for these reasons:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<h2>Your right to a review</h2>
<p>You have the right to ask us to review this decision (Housing Act 1996, section 166A(9)). Please ask by {{ review_by }} ({{ review_days }} days from the date of this letter), in writing or by phone, and tell us why you think the decision is wrong and anything we did not know. A team leader who was not involved in the decision will review it, and we will write to you with the outcome and the reasons for it.</p>
<h2>If your circumstances change</h2>
<p>You can apply again at any time if your circumstances change.</p>
""",
        """\
<h1>You cannot join the housing register</h1>
<p>Dear {{ lead_name }},</p>
<p>We have looked at your application for a {{ scheme_words }}.</p>
<p>You cannot join our housing register. This is why:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<div class="box">
  <p><strong>What you can do</strong></p>
  <p>You can ask us to look at our decision again. This is called a review. Ask us by <strong>{{ review_by }}</strong>.</p>
  <p>If things change for you, you can apply again.</p>
</div>
""",
    ),
    'registration_review': (
        'The review of our decision',
        """\
<h1>The review of your refused registration</h1>
<p>Dear {{ lead_name }},</p>
<p>On {{ requested_on }} you asked us to review our decision of {{ refused_on }} that your household does not qualify to join the housing register (application {{ application_reference }}). The decision was made for these reasons:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<p>A team leader who was not involved in that decision has reviewed it under our {{ policy_name }} (version {{ policy_version }}).</p>
{% if overturned %}
<h2>Outcome: the decision is overturned</h2>
<p>Your household qualifies, and your application is now on the housing register. We will tell you its band and effective date.</p>
{% else %}
<h2>Outcome: the decision is upheld</h2>
<p>Your household does not qualify to join the housing register.</p>
{% endif %}
<h2>The reasons for the review decision</h2>
<p>{{ review_reasons }}</p>
{% if not overturned %}<p>If your circumstances change, you can apply again at any time.</p>{% endif %}
""",
        """\
<h1>We have looked at our decision again</h1>
<p>Dear {{ lead_name }},</p>
<p>You asked us on {{ requested_on }} to look again at our decision that you cannot join the housing register.</p>
{% if overturned %}
<div class="box"><p><strong>We have changed our decision. You are now on the housing register.</strong></p></div>
{% else %}
<div class="box"><p><strong>We have not changed our decision. You cannot join the housing register.</strong></p></div>
{% endif %}
<p>This is why:</p>
<p>{{ review_reasons }}</p>
""",
    ),
}

START = datetime.date(2020, 1, 1)
REASON = "The wording of the letter templates when administrators could first edit it"


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
    dependencies = [("allocations", "0021_letter_kinds_for_registration")]

    operations = [migrations.RunPython(wordings_seed, migrations.RunPython.noop)]
