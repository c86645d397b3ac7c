"""The default policies, published as version 1 of each scheme.

A frozen copy of allocations.rules.DEFAULT_PITCH_POLICY and DEFAULT_CBL_POLICY as they were
when this migration was written: a later change to those constants is a new published
version, never an edit here. Published by the `system` account, which cannot sign in.
"""

import datetime

from django.db import migrations

EFFECTIVE_FROM = datetime.date(2024, 4, 1)

PITCH_POLICY = {'name': 'Gypsy and Traveller Pitch Allocation Policy',
 'scheme': 'pitch',
 'priority_scheme': 'points',
 'lowest_band': None,
 'criteria': [{'code': 'roadside',
               'label': 'Roadside or with no authorised place to stay',
               'points': 100,
               'band': None},
              {'code': 'pitch_overcrowding',
               'label': 'Overcrowding on the current pitch',
               'points': 50,
               'band': None},
              {'code': 'medical_stable_base',
               'label': 'Medical need or disability requiring a stable base',
               'points': 50,
               'band': None},
              {'code': 'insecure_site',
               'label': 'Living on a site without security of tenure',
               'points': 40,
               'band': None},
              {'code': 'children_education',
               'label': "Children's education needs a settled base",
               'points': 30,
               'band': None},
              {'code': 'family_support',
               'label': 'Giving or receiving family support nearby',
               'points': 20,
               'band': None},
              {'code': 'local_connection',
               'label': 'Local connection to the area',
               'points': 20,
               'band': None}],
 'tie_breakers': ['points', 'effective_date', 'registration_date'],
 'bedroom_standard': {'name': 'bedroom standard',
                      'adult_age': 21,
                      'same_sex_share_until': 20,
                      'any_sex_share_under': 10,
                      'count_pregnancy': True},
 'eligibility': [{'code': 'aged_18_or_over', 'label': 'Aged 18 or over'},
                 {'code': 'gypsy_or_traveller_status',
                  'label': 'Gypsy or Traveller status (ethnicity, or the Housing Act 2004 '
                           's.225 definition)'},
                 {'code': 'consent_to_enquiries',
                  'label': 'Consent to enquiries of the police and other councils'},
                 {'code': 'two_references',
                  'label': 'Two checkable references, not from family'}],
 'exclusions': [{'code': 'violence_court_order',
                 'label': 'A court order for violence in the last 3 years'},
                {'code': 'threats_to_staff', 'label': 'Threats or violence towards staff'},
                {'code': 'former_pitch_arrears',
                 'label': 'Arrears on a former council pitch with no repayment agreement kept '
                          'to'}],
 'refusal_limit': {'count': 2, 'suspension_months': 12},
 'lapse_months': 12,
 'renewal': {'reminder_days_before': 28, 'hold_after_days': 28, 'close_after_days': 60},
 'deposit_weeks': 2,
 'review_days': 28}

CBL_POLICY = {'name': 'Choice-based lettings allocation policy',
 'scheme': 'cbl',
 'priority_scheme': 'bands',
 'lowest_band': 4,
 'criteria': [{'code': 'statutory_requirement',
               'label': 'Statutory requirement',
               'points': None,
               'band': 1},
              {'code': 'priority_move_on',
               'label': 'Priority move-on',
               'points': None,
               'band': 1},
              {'code': 'urgent_medical_welfare',
               'label': 'Urgent medical or welfare need',
               'points': None,
               'band': 1},
              {'code': 'care_leaver',
               'label': 'Care leaver aged up to 25',
               'points': None,
               'band': 1},
              {'code': 'social_tenant_under_occupying',
               'label': 'Social tenant under-occupying',
               'points': None,
               'band': 1},
              {'code': 'under_occupying_hardship',
               'label': 'Under-occupying with hardship',
               'points': None,
               'band': 2},
              {'code': 'social_care_priority',
               'label': 'Social-care priority',
               'points': None,
               'band': 2},
              {'code': 'no_fixed_abode',
               'label': 'No fixed abode or insecure tenure',
               'points': None,
               'band': 3},
              {'code': 'temporary_or_supported',
               'label': 'Temporary or supported accommodation',
               'points': None,
               'band': 3},
              {'code': 'serious_overcrowding',
               'label': 'Serious overcrowding',
               'points': None,
               'band': 3},
              {'code': 'medical_welfare',
               'label': 'Medical or welfare need',
               'points': None,
               'band': 3},
              {'code': 'lacking_or_sharing_facilities',
               'label': 'Lacking or sharing facilities',
               'points': None,
               'band': 4}],
 'tie_breakers': ['local_connection', 'band', 'effective_date', 'registration_date'],
 'bedroom_standard': {'name': 'bedroom standard',
                      'adult_age': 21,
                      'same_sex_share_until': 20,
                      'any_sex_share_under': 10,
                      'count_pregnancy': True},
 'eligibility': [{'code': 'eligible_person',
                  'label': 'Eligible for an allocation (Housing Act 1996 s.160ZA: immigration '
                           'status)'},
                 {'code': 'qualifying_person',
                  'label': "Qualifies under the council's allocation scheme"},
                 {'code': 'consent_to_enquiries',
                  'label': 'Consent to enquiries of landlords, the police and other '
                           'councils'}],
 'exclusions': [{'code': 'unacceptable_behaviour',
                 'label': 'Behaviour serious enough to make them unsuitable to be a tenant'},
                {'code': 'threats_to_staff', 'label': 'Threats or violence towards staff'}],
 'refusal_limit': {'count': 2, 'suspension_months': 12},
 'lapse_months': 12,
 'renewal': {'reminder_days_before': 28, 'hold_after_days': 28, 'close_after_days': 60},
 'deposit_weeks': 0,
 'review_days': 28}


def publish_defaults(apps, schema_editor):
    User = apps.get_model("auth", "User")
    PolicyVersion = apps.get_model("allocations", "PolicyVersion")
    system, _ = User.objects.get_or_create(
        username="system",
        defaults={
            "first_name": "System",
            "last_name": "(scheduled task)",
            "is_active": False,
            "password": "!",  # unusable: the system account cannot sign in
        },
    )
    for scheme, policy in (("pitch", PITCH_POLICY), ("cbl", CBL_POLICY)):
        if not PolicyVersion.objects.filter(scheme=scheme).exists():
            PolicyVersion.objects.create(
                scheme=scheme,
                version=1,
                name=policy["name"],
                effective_from=EFFECTIVE_FROM,
                rules=policy,
                summary_of_changes="The council's published policy, first version in this system.",
                published_by=system,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0002_sequences_and_policy_protection"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(publish_defaults, migrations.RunPython.noop)]
