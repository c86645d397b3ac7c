"""The wording of every letter, as it was in the template files (templates/allocations/pdf/
<kind>.html) until administrators could edit it: version 1 of each letter in each format
(standard and large print say what the plain letter said; easy read what the easy-read one
said), used from the start. Letters already requested are given the version they were drawn
with, and were sent by their officer by hand.

Copied here, not imported, so that this migration means the same thing forever.
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
    'decision': (
        'Allocation decision',
        """\
<h1>Allocation of {{ unit }}</h1>
<p>Dear {{ lead_name }},</p>
<p>We are pleased to confirm that {{ unit }} has been allocated to you under our {{ policy_name }} (version {{ policy_version }}), following your acceptance of our offer.</p>
<h2>What happens next</h2>
<p>Your officer will contact you to arrange the signing of your {% if scheme_words == "pitch" %}pitch licence, when we will also give you the written statement required by the Mobile Homes Act 1983{% else %}tenancy agreement{% endif %}. You may move in from the start date of the agreement.</p>
""",
        """\
<h1>{{ unit }} is yours</h1>
<p>Dear {{ lead_name }},</p>
<p>Our team leader has agreed that you can have {{ unit }}.</p>
<div class="box">
  <p>We will ring you to fix a day to sign your {% if scheme_words == "pitch" %}licence{% else %}tenancy{% endif %}.</p>
  <p>You can move in after you sign.</p>
</div>
""",
    ),
    'interview': (
        'Invitation to interview',
        """\
<h1>Invitation to interview</h1>
<p>Dear {{ lead_name }},</p>
<p>We would like to meet you to talk about your application for a {{ scheme_words }} (reference {{ application_reference }}).</p>
<div class="box">
  <p><strong>Date and time:</strong> {{ when }}<br><strong>Place:</strong> {{ place }}</p>
  {% if interpreter_booked %}<p>We have booked an interpreter who speaks {{ interpreter_booked }}.</p>{% endif %}
</div>
<p>Please bring proof of identity and of your current address, and anything you would like us to see about your housing needs. If the time does not suit you, please contact us and we will arrange another.</p>
""",
        """\
<h1>Please come and talk to us</h1>
<p>Dear {{ lead_name }},</p>
<p>We want to talk to you about your application for a {{ scheme_words }}.</p>
<div class="box">
  <p><strong>When:</strong> {{ when }}</p>
  <p><strong>Where:</strong> {{ place }}</p>
  {% if interpreter_booked %}<p><strong>Interpreter:</strong> we have booked an interpreter who speaks {{ interpreter_booked }}.</p>{% endif %}
</div>
<p>Please bring papers that show who you are and where you live.</p>
<p>If you cannot come, please ring us. We will find another time.</p>
""",
    ),
    'invalid': (
        'Your application',
        """\
<h1>Your application is not valid</h1>
<p>Dear {{ lead_name }},</p>
<p>Thank you for your application for a {{ scheme_words }} (reference {{ application_reference }}). We have checked it against our {{ policy_name }} (version {{ policy_version }}) and we cannot accept it, for these reasons:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<h2>What happens next</h2>
<p>If you can give us information or evidence that shows these requirements are met, please contact us and we will look at your application again.</p>
<h2>Your right to a review</h2>
<p>You can ask for this decision to be reviewed. Please ask within {{ review_days }} days of the date of this letter, in writing or by phone. A senior officer who was not involved in the decision will review it and tell you the outcome within {{ review_days }} days.</p>
""",
        """\
<h1>We cannot accept your application</h1>
<p>Dear {{ lead_name }},</p>
<p>We have looked at your application for a {{ scheme_words }}.</p>
<p>We cannot accept it yet. This is why:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<div class="box">
  <p><strong>What you can do</strong></p>
  <p>You can tell us more or send us papers that show these things. Then we will look again.</p>
  <p>You can ask us to look at our decision again. This is called a review. Ask us within {{ review_days }} days of this letter.</p>
</div>
""",
    ),
    'offer': (
        'Offer',
        """\
<h1>Offer of {{ unit }}</h1>
<p>Dear {{ lead_name }},</p>
<p>Following your application (reference {{ application_reference }}), we are pleased to offer you {{ unit }}{% if weekly_charge %}, at a weekly charge of £{{ weekly_charge }}{% endif %}.</p>
<h2>Your reply</h2>
<p>Please tell us whether you accept this offer by <strong>{{ respond_by }}</strong>. If you refuse it, please tell us why: under our {{ policy_name }} an offer refused without good reason counts towards the limit on refusals, after which an application is suspended.</p>
<p>The offer is subject to the approval of a team leader and to the signing of a licence or tenancy agreement.</p>
""",
        """\
<h1>We can offer you a {{ scheme_words }}</h1>
<p>Dear {{ lead_name }},</p>
<p>We can offer you <strong>{{ unit }}</strong>.</p>
{% if weekly_charge %}<p>It costs £{{ weekly_charge }} each week.</p>{% endif %}
<div class="box">
  <p><strong>Please tell us yes or no by {{ respond_by }}.</strong></p>
  <p>If you say no, please tell us why.</p>
</div>
""",
    ),
    'refusal': (
        'Your refusal of an offer',
        """\
<h1>Your refusal of {{ unit }}</h1>
<p>Dear {{ lead_name }},</p>
<p>We have recorded that you refused the offer of {{ unit }}.</p>
{% if reasonable %}
<p>We consider your reason reasonable, so this refusal does not count towards the limit in our {{ policy_name }}.</p>
{% else %}
<p>We do not consider your reason reasonable, so this refusal counts towards the limit in our {{ policy_name }}: you have now refused {{ refusals_counted }} suitable offer{{ refusals_counted|pluralize }}. If the number reaches {{ refusal_limit }}, your application will be suspended for {{ suspension_months }} months.</p>
{% endif %}
{% if band_penalty_until %}
<p>You have reached that limit. Our policy says that your application is placed in the lowest band (band {{ lowest_band }}) until <strong>{{ band_penalty_until }}</strong>, after which the band your assessment gave returns.</p>
{% endif %}
<h2>Your right to a review</h2>
<p>You can ask for this decision to be reviewed within {{ review_days }} days of the date of this letter, in writing or by phone.</p>
""",
        """\
<h1>You said no to an offer</h1>
<p>Dear {{ lead_name }},</p>
<p>You said no to {{ unit }}.</p>
{% if reasonable %}
<p>We think your reason is a good one. This refusal does not count against you.</p>
{% else %}
<p>We do not think your reason is a good one. This refusal counts against you.</p>
<div class="box">
  <p>You have now said no {{ refusals_counted }} time{{ refusals_counted|pluralize }} without a good reason.</p>
  <p>If you say no {{ refusal_limit }} times, we stop your application for {{ suspension_months }} months.</p>
</div>
{% endif %}
{% if band_penalty_until %}
<div class="box"><p>Because of this, your application is in our lowest band (band {{ lowest_band }}) until <strong>{{ band_penalty_until }}</strong>.</p></div>
{% endif %}
<p>You can ask us to look at our decision again. This is called a review. Ask us within {{ review_days }} days of this letter.</p>
""",
    ),
    'renewal_closed': (
        'Your application is closed',
        """\
<h1>Your application is closed</h1>
<p>Dear {{ lead_name }},</p>
<p>Your application (reference {{ application_reference }}) was due for renewal on {{ renew_by }}. We wrote to you before that date and again when it passed, and we have not received your answer, so under our {{ policy_name }} (version {{ policy_version }}) it is now closed.</p>
<p>If you renew it by <strong>{{ reinstate_by }}</strong>, it will be re-opened with its original dates, so you will not lose your place.</p>
<h2>Your right to a review</h2>
<p>You can ask for this decision to be reviewed. Please ask within {{ review_days }} days of the date of this letter, in writing or by phone. A senior officer who was not involved in the decision will review it.</p>
""",
        """\
<h1>We have closed your application</h1>
<p>Dear {{ lead_name }},</p>
<p>We asked you twice to renew your application. We did not hear from you, so we have closed it.</p>
<div class="box">
  <p>If you contact us by <strong>{{ reinstate_by }}</strong>, we will open it again and keep your place in the queue.</p>
</div>
<p>You can ask us to look at our decision again. This is called a review. Ask us within {{ review_days }} days of this letter.</p>
""",
    ),
    'renewal_hold': (
        'Your application is on hold',
        """\
<h1>Your application is on hold</h1>
<p>Dear {{ lead_name }},</p>
<p>Your application (reference {{ application_reference }}) was due for renewal on {{ renew_by }} and we have not received your answer. It is now on hold: it will not be considered for offers until you renew it.</p>
<p>If we do not hear from you by <strong>{{ close_on }}</strong>, your application will be closed under our {{ policy_name }} (version {{ policy_version }}).</p>
""",
        """\
<h1>We have not heard from you</h1>
<p>Dear {{ lead_name }},</p>
<p>We asked you to renew your application by {{ renew_by }}. We have not heard from you.</p>
<div class="box">
  <p>Your application is on hold. We cannot offer you a {{ scheme_words }} for now.</p>
  <p>Please contact us by <strong>{{ close_on }}</strong>, or we will close your application.</p>
</div>
""",
    ),
    'renewal_reminder': (
        'Please renew your application',
        """\
<h1>Please renew your application</h1>
<p>Dear {{ lead_name }},</p>
<p>Under our {{ policy_name }} (version {{ policy_version }}) applications are renewed every year. Your application (reference {{ application_reference }}) is due for renewal on <strong>{{ renew_by }}</strong>.</p>
<p>Please tell us by that date that you still want a {{ scheme_words }}, who lives with you, and anything that has changed (a birth, someone moving in or out, your health, your address), with any evidence.</p>
<p>If we do not hear from you by then, your application will be put on hold: it will not be considered for offers until you answer.</p>
""",
        """\
<h1>Please tell us if you still need a {{ scheme_words }}</h1>
<p>Dear {{ lead_name }},</p>
<p>Every year we check that your application is still right.</p>
<div class="box">
  <p>Please contact us by <strong>{{ renew_by }}</strong>.</p>
  <p>Tell us who lives with you and if anything has changed.</p>
</div>
<p>If we do not hear from you, we will stop your application for now.</p>
""",
    ),
    'suspension': (
        'Your application is suspended',
        """\
<h1>Your application is suspended</h1>
<p>Dear {{ lead_name }},</p>
<p>We have recorded that you refused the offer of {{ unit }}, and we do not consider your reason reasonable.</p>
<p>Our {{ policy_name }} (version {{ policy_version }}) says that an application is suspended for {{ suspension_months }} months once {{ refusal_limit }} suitable offers have been refused. You have now refused {{ refusals_counted }}, so your application (reference {{ application_reference }}) is suspended until <strong>{{ suspended_until }}</strong>. You will not be offered a {{ scheme_words }} during the suspension.</p>
<h2>Your right to a review</h2>
<p>You can ask for this decision to be reviewed. Please ask within {{ review_days }} days of the date of this letter, in writing or by phone. A senior officer who was not involved in the decision will review it.</p>
""",
        """\
<h1>We have stopped your application for now</h1>
<p>Dear {{ lead_name }},</p>
<p>You said no to {{ unit }}. We do not think your reason is a good one.</p>
<div class="box">
  <p>You have said no {{ refusals_counted }} times without a good reason.</p>
  <p>Our rules say we must stop your application until <strong>{{ suspended_until }}</strong>.</p>
  <p>We will not offer you a {{ scheme_words }} until then.</p>
</div>
<p>You can ask us to look at our decision again. This is called a review. Ask us within {{ review_days }} days of this letter.</p>
""",
    ),
    'suspension_ended': (
        'Your suspension has ended',
        """\
<h1>Your suspension has ended</h1>
<p>Dear {{ lead_name }},</p>
<p>Your application (reference {{ application_reference }}) was suspended until {{ ended_on }}. That date has come, so your application is active again and can be considered for a {{ scheme_words }} from today.</p>
""",
        """\
<h1>Your application is open again</h1>
<p>Dear {{ lead_name }},</p>
<div class="box">
  <p>Your application was stopped until {{ ended_on }}. It is open again now.</p>
  <p>You can be offered a {{ scheme_words }} again from today.</p>
</div>
""",
    ),
}

START = datetime.date(2020, 1, 1)
REASON = "The wording of the letter templates when administrators could first edit it"


def wordings_seed(apps, schema_editor):
    """Version 1 of every letter in every format, unless there is one (idempotent: tests
    put migrations' rows back with it)."""
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


def letters_given_their_wording(apps, schema_editor):
    LetterWording = apps.get_model("allocations", "LetterWording")
    Letter = apps.get_model("allocations", "Letter")
    first = {(w.kind, w.variant): w for w in LetterWording.objects.filter(version=1)}
    for letter in Letter.objects.filter(wording=None).iterator():
        context = letter.context or {}
        if context.get("easy_read"):
            variant = "easy_read"
        elif context.get("large_print"):
            variant = "large_print"
        else:
            variant = "standard"
        letter.wording = first[(letter.kind, variant)]
        letter.delivery = "by_officer"
        letter.save(update_fields=["wording", "delivery"])


class Migration(migrations.Migration):
    dependencies = [("allocations", "0017_letter_delivery_and_wording_versions")]

    operations = [
        migrations.RunPython(wordings_seed, migrations.RunPython.noop),
        migrations.RunPython(letters_given_their_wording, migrations.RunPython.noop),
    ]
