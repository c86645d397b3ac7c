"""CORE's lettings bulk-upload layout for the 2026/27 collection year, as data.

Taken from the government's CORE service (communitiesuk/submit-social-housing-lettings-and-
sales-data, commit e46822ea6f4a954c0522541322c1a64c26ee8414, 5 August 2026):

- field numbers, their order (147 fields, columns A to ER) and the question each header
  carries: app/services/bulk_upload/lettings/year2026/csv_parser.rb (FIELDS = 147) and
  row_parser.rb (QUESTIONS, and the `attribute :field_N, :type` list for each field's type);
- the codes each field accepts: the question classes in app/models/form/lettings/questions/
  (ANSWER_OPTIONS for a 2026 form; the file is named beside each code list below), mapped
  through row_parser.rb#attributes_for_log where the upload's code differs from the log's.

Nothing here is ours: a change in CORE's layout for a later year is a new module beside this one.
"""

from dataclasses import dataclass, field

from allocations.core.year2026_questions import QUESTIONS

YEAR = 2026
SOURCE_REPOSITORY = "communitiesuk/submit-social-housing-lettings-and-sales-data"
SOURCE_COMMIT = "e46822ea6f4a954c0522541322c1a64c26ee8414"
ROW_PARSER = "app/services/bulk_upload/lettings/year2026/row_parser.rb"
FIELD_COUNT = 147  # csv_parser.rb: FIELDS = 147


@dataclass(frozen=True)
class CoreField:
    number: int
    question: str
    kind: str  # row_parser.rb's attribute type: "string", "integer" or "decimal"
    codes: dict[int | str, str] = field(default_factory=dict)  # empty: not a coded answer

    @property
    def header(self) -> str:
        return f"field_{self.number}"


YES_NO = {1: "Yes", 2: "No"}
YES_NO_DONT_KNOW = {1: "Yes", 2: "No", 3: "Don't know"}
TICKED = {0: "No", 1: "Yes"}  # a tick box (row_parser.rb#validate_reasonpref_reason_values)

# questions/needs_type.rb
NEEDS_TYPE = {1: "General needs", 2: "Supported housing"}
# questions/rent_type.rb (2025 or later), numbered 1-7 in the upload:
# row_parser.rb RENT_TYPE_BU_MAPPING {1=>0, 2=>1, ... 7=>6}.
RENT_TYPE = {
    1: "Social Rent",
    2: "Affordable Rent",
    3: "London Affordable Rent",
    4: "Rent to Buy",
    5: "London Living Rent",
    6: "Other intermediate rent product",
    7: "Specified accommodation - exempt accommodation, managed properties, refuges and local "
    "authority hostels",
}
# questions/rsnvac.rb (2024 or later) and questions/rsnvac_first_let.rb
VACANCY_REASON = {
    14: "Renewal of fixed-term tenancy",
    9: "Re-let to tenant who occupied same property as temporary accommodation",
    13: "Internal transfer",
    12: "Tenant moved to other social housing provider",
    8: "Tenant moved to private sector or other accommodation",
    18: "Tenant moved to care home",
    20: "Tenant moved to long-stay hospital or similar institution",
    5: "Tenant died with no succession",
    19: "Tenant involved in a succession downsize",
    6: "Tenant abandoned property",
    10: "Tenant was evicted due to rent arrears",
    11: "Tenant was evicted due to anti-social behaviour",
    21: "Tenant was evicted due to both rent arrears and anti-social behaviour",
    22: "Any other reason",
    16: "First let of conversion, rehabilitation or acquired property",
    17: "First let of leased property",
    15: "First let of new-build property",
}
FIRST_LET_REASONS = (15, 16, 17)  # row_parser.rb#first_time_property_let_as_social_housing
# questions/previous_let_type.rb (ANSWER_OPTIONS_AFTER_2025)
PREVIOUS_LET_TYPE = {
    1: "Social rent basis",
    2: "Affordable rent basis",
    5: "London Affordable Rent basis",
    6: "Rent to Buy basis",
    7: "London Living Rent basis",
    8: "Another Intermediate Rent basis",
    9: "Specified accommodation - exempt accommodation, managed properties, refuges and local "
    "authority hostels",
    3: "Don't know",
}
# derived_variables/lettings_log_variables.rb UNITLETAS_MAPPING, in upload codes: the rent
# type a home was let at -> how it was "most recently let as".
UNITLETAS_FROM_RENT_TYPE = {1: 1, 2: 2, 3: 5, 4: 6, 5: 7, 6: 8, 7: 9}
# questions/unittype_gn.rb
UNIT_TYPE = {
    2: "Bedsit",
    8: "Bungalow",
    1: "Flat or maisonette",
    7: "House",
    10: "Shared bungalow",
    4: "Shared flat or maisonette",
    9: "Shared house",
    6: "Other",
}
# questions/sheltered.rb (2025 or later)
OLDER_PEOPLES_HOUSING = {
    7: "Yes - for tenants with low support needs",
    2: "Yes - extra care housing",
    8: "Yes - other",
    3: "No",
    4: "Don't know",
}
# questions/joint.rb
JOINT = YES_NO_DONT_KNOW
# questions/tenancy_type.rb and starter_tenancy_type.rb (2024 or later)
TENANCY_TYPE = {
    4: "Assured Shorthold Tenancy (AST) - Fixed term",
    6: "Secure - fixed term",
    2: "Assured - lifetime",
    7: "Secure - lifetime",
    8: "Periodic",
    5: "Licence agreement",
    3: "Other",
}
# The kinds a registered provider grants (tenancy_type.rb's hints: secure tenancies are a
# local authority's; a licence agreement is supported housing's; "Other" needs words).
PROVIDER_TENANCY_TYPES = (4, 2, 8)
PERIODIC_TENANCY = 8  # its length may be given (tenancy_validations.rb)
FIXED_TERM_TENANCIES = (4, 6)  # CORE asks the length of these (questions/tenancy_length.rb)
# Rent types (upload codes 1-3: social, affordable, London affordable) that CORE's renttype
# counts as social or affordable rent (lettings_log_variables.rb RENT_TYPE_MAPPING and
# lettings_log.rb#affordable_or_social_rent?).
SOCIAL_OR_AFFORDABLE_RENT = (1, 2, 3)
# questions/lead_tenant_sex_registered_at_birth.rb, person_sex_registered_at_birth.rb
SEX = {"F": "Female", "M": "Male", "R": "Prefers not to say"}
# questions/gender_same_as_sex.rb
GENDER_SAME_AS_SEX = {1: "Yes", 2: "No, enter gender identity", 3: "Prefers not to say"}
# questions/ethnic_white.rb, ethnic_mixed.rb, ethnic_asian.rb, ethnic_black.rb, ethnic_arab.rb;
# 17 is "prefers not to say" (row_parser.rb#ethnic_group_from_ethnic: 17 => 17).
ETHNICITY = {
    1: "English, Welsh, Northern Irish, Scottish or British",
    2: "Irish",
    18: "Gypsy or Irish Traveller",
    20: "Roma",
    3: "Any other White background",
    4: "White and Black Caribbean",
    5: "White and Black African",
    6: "White and Asian",
    7: "Any other Mixed or Multiple ethnic background",
    10: "Bangladeshi",
    15: "Chinese",
    8: "Indian",
    9: "Pakistani",
    11: "Any other Asian or Asian British background",
    13: "African",
    12: "Caribbean",
    14: "Any other Black, African, Caribbean or Black British background",
    19: "Arab",
    16: "Other ethnic group",
    17: "Prefers not to say",
}
# questions/working_situation1.rb and person_working_situation.rb (2025 or later)
WORKING_SITUATION = {
    1: "Full-time - 30 hours or more per week",
    2: "Part-time - Less than 30 hours per week",
    7: "Full-time student",
    3: "In government training into work",
    4: "Jobseeker",
    6: "Not seeking work",
    8: "Unable to work because of long-term sickness or disability",
    5: "Retired",
    9: "Child under 16",  # persons 2-8 only, and only under 16
    0: "Other",
    10: "Prefers not to say",
}
CHILD_UNDER_16 = 9
# row_parser.rb#relationship_from_input_value: 1 => "P" (partner), 2 => "X", 3 => "R"
PARTNER = {1: "Yes", 2: "No", 3: "Prefers not to say"}
# questions/armedforces.rb
ARMED_FORCES = {
    1: "Yes - the person is a current or former regular",
    4: "Yes - the person is a current or former reserve",
    5: "Yes - the person is a spouse or civil partner of a UK armed forces member and has been "
    "bereaved or separated from them within the last 2 years",
    2: "No",
    3: "Person prefers not to say",
    6: "Don't know",
}
ARMED_FORCES_YES = (1, 4, 5)
# questions/leftreg.rb
STILL_SERVING = {
    6: "Yes",
    4: "No - they left up to and including 5 years ago",
    5: "No - they left more than 5 years ago",
    3: "Person prefers not to say",
}
# questions/reservist.rb
INJURED = {1: "Yes", 2: "No", 3: "Person prefers not to say"}
# questions/preg_occ.rb, illness.rb
PREFERS_NOT = {1: "Yes", 2: "No", 3: "Tenant prefers not to say"}
# questions/layear.rb (2025 or later)
TIME_IN_AREA = {
    1: "Just moved to local authority area with this new let",
    2: "Under 1 year",
    7: "1 year but under 2 years",
    8: "2 years but under 3 years",
    9: "3 years but under 4 years",
    10: "4 years but under 5 years",
    11: "5 years but under 10 years",
    12: "10 years or more",
    6: "Don't know",
}
# questions/waityear.rb (2025 or later)
TIME_ON_REGISTER = {
    13: "Household not on the housing register (or waiting list) in this area",
    2: "Under 1 year",
    7: "1 year but under 2 years",
    8: "2 years but under 3 years",
    9: "3 years but under 4 years",
    10: "4 years but under 5 years",
    11: "5 years but under 10 years",
    12: "10 years or more",
    6: "Don't know",
}
# questions/reason.rb (2026)
LEAVING_REASON = {
    50: "End of social or private sector tenancy - no fault",
    51: "End of social or private sector tenancy - evicted due to anti-social behaviour (ASB)",
    52: "End of social or private sector tenancy - evicted due to rent arrears",
    53: "End of social or private sector tenancy - evicted for any other reason",
    1: "Permanently decanted from another property owned by this landlord",
    2: "Left home country as a refugee",
    45: "Discharged from prison",
    46: "Discharged from long-stay hospital or similar institution",
    4: "Loss of tied accommodation",
    55: "Leaving foster care or children's home",
    9: "Asked to leave by family or friends",
    8: "Relationship breakdown (non-violent) with partner",
    44: "Death of household member in last settled accommodation",
    16: "To move nearer to family, friends or school",
    17: "To move nearer to work",
    48: "Domestic abuse - previously joint tenancy with partner",
    49: "Domestic abuse - other",
    56: "Non-domestic violence (e.g. gang violence)",
    57: "Cuckooing (property being used by others for illegal activity)",
    10: "Racial harassment",
    31: "Hate crime",
    11: "Other problems with neighbours",
    34: "Repossession",
    54: "Could no longer afford rent or mortgage",
    12: "Property unsuitable because of overcrowding",
    13: "Property unsuitable because of ill health or disability",
    14: "Property unsuitable because of poor condition",
    29: "Under occupation (offered incentive to downsize)",
    30: "Under occupation (no incentive)",
    18: "To move to accommodation with support",
    19: "To move to independent accommodation",
    47: "Tenant prefers not to say",
    20: "Other",
    28: "Don't know",
}
LEAVING_REASON_OTHER = 20  # row_parser.rb#reason_is_other?: field_114 then says what
# questions/previous_tenure.rb (ANSWER_OPTIONS_2026_OR_LATER)
PREVIOUS_TENURE = {
    30: "Fixed-term local authority general needs tenancy",
    32: "Fixed-term private registered provider (PRP) general needs tenancy",
    31: "Lifetime local authority general needs tenancy",
    33: "Lifetime private registered provider (PRP) general needs tenancy",
    40: "Other general needs",
    35: "Extra care housing",
    38: "Older people's housing for tenants with low support needs",
    6: "Other supported housing",
    27: "Owner occupation (low-cost home ownership)",
    26: "Owner occupation (private)",
    3: "Private sector tenancy",
    28: "Living with friends or family (long-term)",
    39: "Sofa surfing (moving regularly between family or friends, no permanent bed)",
    14: "Bed and breakfast",
    7: "Direct access hostel",
    10: "Hospital",
    29: "Prison or approved probation hostel",
    18: "Any other temporary accommodation",
    19: "Rough sleeping",
    21: "Refuge",
    13: "Children's home or foster care",
    24: "Home Office Asylum Support",
    37: "Host family or similar refugee accommodation",
    23: "Mobile home or caravan",
    9: "Residential care home",
    4: "Tied housing or rented with job",
    25: "Any other accommodation",
}
# The previous tenures that are social housing (lettings_log.rb#is_prevten_general_needs? is
# false for these): only these may come before an internal transfer.
SOCIAL_TENURES = (30, 31, 32, 33, 35, 38, 40, 6)
# questions/homeless.rb
HOMELESS = {11: "Yes - assessed by a local authority as homeless", 1: "No"}
# row_parser.rb#ppcodenk: 1 => postcode known, 2 => not known
POSTCODE_KNOWN = {1: "Yes", 2: "No"}
# questions/reasonpref.rb
REASONABLE_PREFERENCE = YES_NO_DONT_KNOW
# questions/referral_register.rb (added in 2026), the local authority's list (field 131)
REFERRAL_LA = {
    1: "Renewal to the same tenant in the same property",
    2: "Internal transfer from another property owned by the same local authority - for "
    "existing social tenants only",
    3: "From a housing register (waiting list)",
    4: "Tenant applied directly (not via a nomination or housing register)",
}
INTERNAL_TRANSFER = 2  # field 131's internal transfer (lettings_log.rb#is_internal_transfer?)
# questions/referral_register.rb, a private registered provider's list (field 132), and
# questions/referral_noms.rb for "from a local authority housing register" (field 133; for
# 7 its list is 5-8): row_parser.rb#field_referral_register_prp_valid? and
# #field_referral_noms_valid?.
REFERRAL_PRP = {
    5: "Renewal to the same tenant in the same property",
    6: "From a local authority housing register (waiting list) or a register with local "
    "authority involvement",
    7: "From a housing register (waiting list) with no local authority involvement",
    8: "Tenant applied directly (not via a nomination or waiting list)",
    9: "Don't know",
}
REFERRAL_PRP_LA_REGISTER = 6
REFERRAL_NOMS = {
    1: "Nominated by a local authority to a PRP",
    2: "Supported housing only - referred by a local authority to a PRP",
    3: "Internal transfer from another property owned by the same PRP landlord - for "
    "existing social tenants only",
    4: "Other",
    5: "Internal transfer from another property owned by the same PRP landlord - for "
    "existing social tenants only",
    6: " A different PRP landlord - for existing social tenants only",
    7: "Directly referred by a third party",
    8: "Other",
}
NOMINATED_BY_LA = 1
# questions/referral_org.rb for "nominated by a local authority to a PRP" (field 134; asked
# when field 133 is 1: row_parser.rb#field_referral_org_valid?).
REFERRAL_ORG_LA = {
    1: "Referred to LA by health service",
    2: "Referred to LA by community learning disability team",
    3: "Referred to LA by community mental health team",
    4: "Referred to LA by adult social services",
    5: "Referred to LA by children's social care",
    6: "Referred to LA by police, probation, prison or youth offending team following a "
    "custodial sentence",
    7: "Referred to LA by police, probation, prison or youth offending team without a "
    "custodial sentence",
    8: "Referred to LA by a voluntary agency",
    9: "Other referral",
    10: "Don't know",
}
# row_parser.rb#net_income_known: 1 => yes, 2 => no, 3 => prefers not to say
INCOME_KNOWN = {1: "Yes", 2: "No", 3: "Tenant prefers not to say"}
# questions/incfreq.rb
INCOME_FREQUENCY = {1: "Weekly", 2: "Monthly", 3: "Yearly"}
# questions/hb.rb
HOUSING_BENEFITS = {
    1: "Housing benefit",
    6: "Universal Credit housing element",
    9: "Neither",
    10: "Tenant prefers not to say",
    3: "Don't know",
}
RECEIVES_HOUSING_BENEFIT = (1, 6)  # lettings_log.rb HAS_BENEFITS_OPTIONS (those still asked)
# questions/benefits.rb
BENEFITS_SHARE = {1: "All", 2: "Some", 3: "None", 4: "Don't know"}
# questions/period.rb
RENT_PERIOD = {
    2: "Every 2 weeks",
    3: "Every 4 weeks",
    4: "Every calendar month",
    9: "Weekly for 46 weeks",
    8: "Weekly for 47 weeks",
    7: "Weekly for 48 weeks",
    6: "Weekly for 49 weeks",
    5: "Weekly for 50 weeks",
    11: "Weekly for 51 weeks",
    1: "Weekly for 52 weeks",
    10: "Weekly for 53 weeks",
}
# questions/hbrentshortfall.rb
RENT_SHORTFALL = YES_NO_DONT_KNOW

_CODES: dict[int, dict] = {
    4: NEEDS_TYPE,
    7: YES_NO,  # row_parser.rb#renewal: 1 => yes, 2 => no
    11: RENT_TYPE,
    15: {1: "Yes"},  # questions/declaration.rb: the one answer, the notice seen
    16: VACANCY_REASON,
    17: PREVIOUS_LET_TYPE,
    26: UNIT_TYPE,
    27: YES_NO,  # questions/wheelchair.rb
    35: OLDER_PEOPLES_HOUSING,
    36: JOINT,
    37: YES_NO,  # questions/startertenancy.rb
    38: TENANCY_TYPE,
    42: SEX,
    43: GENDER_SAME_AS_SEX,
    45: ETHNICITY,
    47: {k: v for k, v in WORKING_SITUATION.items() if k != CHILD_UNDER_16},
    90: ARMED_FORCES,
    91: STILL_SERVING,
    92: INJURED,
    93: PREFERS_NOT,
    **dict.fromkeys(range(94, 100), TICKED),  # disabled access needs a-h
    100: PREFERS_NOT,
    **dict.fromkeys(range(101, 111), TICKED),  # how the condition affects them
    111: TIME_IN_AREA,
    112: TIME_ON_REGISTER,
    113: LEAVING_REASON,
    115: PREVIOUS_TENURE,
    116: HOMELESS,
    117: POSTCODE_KNOWN,
    121: REASONABLE_PREFERENCE,
    **dict.fromkeys(range(122, 127), TICKED),
    **dict.fromkeys(range(127, 131), YES_NO),  # row_parser.rb#cbl/cap/chr/...
    131: REFERRAL_LA,
    132: REFERRAL_PRP,
    133: REFERRAL_NOMS,
    134: REFERRAL_ORG_LA,
    135: INCOME_KNOWN,
    136: INCOME_FREQUENCY,
    138: HOUSING_BENEFITS,
    139: BENEFITS_SHARE,
    140: {1: "Yes", 2: "No"},  # supported housing only: household pays rent or charges
    141: RENT_PERIOD,
    146: RENT_SHORTFALL,
}
# Persons 2-8: six fields each from field 48 (age, partner, sex, gender same as sex, gender
# identity, working situation), row_parser.rb QUESTIONS 48-89.
PERSON_FIRST_FIELD = {n: 48 + 6 * (n - 2) for n in range(2, 9)}
for _first in PERSON_FIRST_FIELD.values():
    _CODES |= {
        _first + 1: PARTNER,
        _first + 2: SEX,
        _first + 3: GENDER_SAME_AS_SEX,
        _first + 5: WORKING_SITUATION,
    }

FIELDS: list[CoreField] = [
    CoreField(number, question, kind, _CODES.get(number, {}))
    for number, (question, kind) in sorted(QUESTIONS.items())
]
FIELD = {f.number: f for f in FIELDS}
HEADERS = [f.header for f in FIELDS]
