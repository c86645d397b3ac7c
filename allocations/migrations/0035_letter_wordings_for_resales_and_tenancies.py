"""Version 1 of the wording of the resale letters (to the seller and to buyers on the register)
and of the introductory tenancy notices (extended, with the review right; confirmed), seeded as
0022_letter_wordings_for_registration seeded the others. Administrators change them as any
other letter's wording, in new versions."""

import datetime

from django.db import migrations

EMAIL_TEXT = (
    "Dear {{ lead_name }},\n\n"
    "Please find attached a letter from {{ council_name }} (our reference "
    "{{ our_reference }}).\n\n"
    "If you would rather have our letters by post, or in another format, please contact us.\n\n"
    "Housing team\n{{ council_name }}"
)
EASY_READ_EMAIL_TEXT = (
    "Dear {{ lead_name }},\n\n"
    "We have sent you a letter. It is with this email.\n\n"
    "If you need help to read it, please ring us.\n\n"
    "Housing team\n{{ council_name }}"
)

# kind -> (title, the standard words, the easy-read words)
WORDINGS = {
    "resale_notice": (
        "Your notice to sell {{ home }}",
        """\
<h1>We have received your notice to sell</h1>
<p>Dear {{ lead_name }},</p>
<p>Thank you for your notice of {{ notice_on }} that you wish to sell your {{ product }} home at {{ home }}.</p>
<p>Under the home's planning agreement the council may nominate buyers from its register of eligible purchasers for {{ window_weeks }} weeks, until <strong>{{ window_ends }}</strong>. Please do not market the home on the open market before then.</p>
<h2>What happens next</h2>
<p>We need a valuation of the home to set its price. We will write to you when we nominate a buyer. If no nominated buyer proceeds by {{ window_ends }}, we will write to tell you that you may sell on the open market.</p>
""",
        """\
<h1>You want to sell your home</h1>
<p>Dear {{ lead_name }},</p>
<p>You told us you want to sell {{ home }}.</p>
<div class="box"><p>We can find a buyer for you until <strong>{{ window_ends }}</strong>. Please do not sell it to anyone else before then.</p></div>
<p>We will write to you again.</p>
""",
    ),
    "resale_valuation": (
        "The valuation of {{ home }}",
        """\
<h1>The valuation of your home</h1>
<p>Dear {{ lead_name }},</p>
<p>The home at {{ home }} was valued at {{ valuation }} on {{ valued_on }}. After the {{ discount }}% discount in the planning agreement, the price to a nominated buyer is <strong>{{ price }}</strong>.</p>
<p>The valuation is valid until <strong>{{ valid_until }}</strong>. If the home is not sold by then, a new valuation will be needed; we will remind you before it expires.</p>
<p>We can nominate buyers until {{ window_ends }}.</p>
""",
        """\
<h1>What your home is worth</h1>
<p>Dear {{ lead_name }},</p>
<p>Your home is worth {{ valuation }}. A buyer we find will pay <strong>{{ price }}</strong>.</p>
<div class="box"><p>This is right until <strong>{{ valid_until }}</strong>. After that the home must be valued again.</p></div>
""",
    ),
    "resale_nominated": (
        "A buyer nominated for {{ home }}",
        """\
<h1>We have nominated a buyer</h1>
<p>Dear {{ lead_name }},</p>
<p>We have nominated <strong>{{ buyer_name }}</strong> from our register of eligible purchasers to buy {{ home }} at {{ price }}.</p>
<p>Their solicitor or the buyer will contact you. Please let us know if they decide to proceed or withdraw. We can nominate buyers until {{ window_ends }}.</p>
""",
        """\
<h1>We have found a buyer</h1>
<p>Dear {{ lead_name }},</p>
<p>We have asked <strong>{{ buyer_name }}</strong> to buy your home for {{ price }}.</p>
<p>They will get in touch with you.</p>
""",
    ),
    "resale_nominee": (
        "You are nominated to buy {{ home }}",
        """\
<h1>You are nominated to buy a home</h1>
<p>Dear {{ lead_name }},</p>
<p>We have nominated you from our register of eligible purchasers to buy the {{ product }} home at {{ home }}, from {{ seller_name }}, at <strong>{{ price }}</strong>.</p>
<p>Please contact the seller's agent and tell us within two weeks whether you wish to proceed. The nomination period ends on {{ window_ends }}.</p>
""",
        """\
<h1>You can buy a home</h1>
<p>Dear {{ lead_name }},</p>
<p>You can buy the home at {{ home }} for <strong>{{ price }}</strong>.</p>
<div class="box"><p>Tell us soon if you want to buy it. You must decide before <strong>{{ window_ends }}</strong>.</p></div>
""",
    ),
    "resale_not_eligible": (
        "{{ home }}: you are not eligible to buy it",
        """\
<h1>You are not eligible to buy this home</h1>
<p>Dear {{ lead_name }},</p>
<p>We have checked your details on our register of eligible purchasers against the planning agreement for the {{ product }} home at {{ home }}. You are not eligible to buy it, for these reasons:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<p>You stay on the register for other homes. If your details have changed, please tell us and we will check again.</p>
""",
        """\
<h1>You cannot buy this home</h1>
<p>Dear {{ lead_name }},</p>
<p>You cannot buy {{ home }}. This is why:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<div class="box"><p>You can still buy other homes. Tell us if things change for you.</p></div>
""",
    ),
    "resale_released": (
        "{{ home }}: you may sell on the open market",
        """\
<h1>You may sell on the open market</h1>
<p>Dear {{ lead_name }},</p>
<p>The nomination period for {{ home }} ended on {{ window_ends }} and no buyer we nominated is proceeding.</p>
<p>You may sell the home on the open market from <strong>{{ released_on }}</strong>. The planning agreement's other terms still apply: please check them with your solicitor.</p>
""",
        """\
<h1>You can sell your home to anyone</h1>
<p>Dear {{ lead_name }},</p>
<p>We did not find a buyer for {{ home }} in time.</p>
<div class="box"><p>You can sell it to anyone from <strong>{{ released_on }}</strong>.</p></div>
""",
    ),
    "intro_extended": (
        "Notice extending your introductory tenancy",
        """\
<h1>Notice extending your introductory tenancy</h1>
<p>Dear {{ lead_name }},</p>
<p>Your introductory tenancy of {{ home }} began on {{ start_date }} and was due to end on {{ was_ending_on }}. Under section 125A of the Housing Act 1996 we have decided to extend it by six months, to <strong>{{ extended_to }}</strong>, for these reasons:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<h2>Your right to a review</h2>
<p>You have the right to ask us to review this decision (section 125B). Please ask by <strong>{{ review_by }}</strong> ({{ review_days }} days from the date of this notice), in writing or by phone. An officer who was not involved in the decision will review it, and we will tell you the outcome and the reasons before the original period ends.</p>
<p>If you need advice, you can contact Citizens Advice, a solicitor or Shelter.</p>
""",
        """\
<h1>Your trial tenancy is longer</h1>
<p>Dear {{ lead_name }},</p>
<p>Your tenancy of {{ home }} is a trial tenancy. It was going to end on {{ was_ending_on }}. It will now end on <strong>{{ extended_to }}</strong>.</p>
<p>This is why:</p>
<ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<div class="box"><p><strong>What you can do</strong></p><p>You can ask us to look at our decision again. Ask us by <strong>{{ review_by }}</strong>.</p></div>
""",
    ),
    "intro_confirmed": (
        "Your tenancy will become secure",
        """\
<h1>Your tenancy will become secure</h1>
<p>Dear {{ lead_name }},</p>
<p>We have reviewed your introductory tenancy of {{ home }}, which began on {{ start_date }}. Your tenancy will become a secure tenancy on <strong>{{ secure_from }}</strong>.</p>
""",
        """\
<h1>Your tenancy is going well</h1>
<p>Dear {{ lead_name }},</p>
<p>Your trial tenancy of {{ home }} ends on <strong>{{ secure_from }}</strong>. Then you will be a secure tenant.</p>
""",
    ),
}

START = datetime.date(2020, 1, 1)
REASON = "The first wording of the resale and introductory tenancy letters"


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
    dependencies = [("allocations", "0034_letters_for_resales_and_tenancies")]

    operations = [migrations.RunPython(wordings_seed, migrations.RunPython.noop)]
