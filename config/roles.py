"""The roles of the service (DOMAIN.md, "Who uses it") and the permissions each one holds.

This table is the permission table: migrations in config/migrations set the groups from it,
and tests prove that every role gets exactly these permissions and nothing else.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class Role:
    name: str  # the Django group name
    label: str
    description: str


OFFICER = Role("officer", "Allocations officer", "Runs each case end to end.")
TEAM_LEADER = Role("team_leader", "Team leader", "Reviews and approves allocation decisions.")
AUDITOR = Role("auditor", "Auditor", "Reads everything, including change history; changes nothing.")
SITES_MANAGER = Role("sites_manager", "Sites manager", "Owns site rules; receives breaches.")
BUSINESS_SUPPORT = Role("business_support", "Business support", "Opens resident accounts.")
HEAD_OF_SERVICE = Role("head_of_service", "Head of service", "Owns service-development projects.")
ADMINISTRATOR = Role(
    "administrator", "Administrator", "Manages users, roles, sites and policy versions."
)
PROVIDER_STAFF = Role(
    "provider_staff",
    "Registered provider's staff",
    "Answers the council's nominations to their own provider's homes; sees nothing else.",
)

ROLES = [
    OFFICER,
    TEAM_LEADER,
    AUDITOR,
    SITES_MANAGER,
    BUSINESS_SUPPORT,
    HEAD_OF_SERVICE,
    ADMINISTRATOR,
    PROVIDER_STAFF,
]
ROLE_BY_NAME = {role.name: role for role in ROLES}

_READ_SITES = ["sites.view_site", "sites.view_unit"]
_WRITE_SITES = ["sites.add_site", "sites.change_site", "sites.add_unit", "sites.change_unit"]
_HISTORY = ["config.view_change_log"]
# Every record's changes in the change log; other readers of it see the record types they may
# view (config.changelog.readable_types).
_WHOLE_HISTORY = ["config.view_whole_change_log"]
_READ_RESIDENTS = ["residents.view_household", "residents.view_person"]
_WRITE_RESIDENTS = [
    "residents.add_household",
    "residents.change_household",
    "residents.add_person",
    "residents.change_person",
]
# Ethnicity, Gypsy or Traveller status and health (UK GDPR art. 9): only the roles that need
# them to decide cases, and auditors, who read everything.
_SPECIAL_CATEGORY = ["config.view_special_category"]
# The log of who was shown special-category data: auditors check it.
_SPECIAL_CATEGORY_LOG = ["residents.view_specialcategoryview"]
# The allocation engine. Evidence can hold health and criminal-record information, so only
# the roles that decide cases, and auditors, open it.
_READ_POLICIES = ["allocations.view_policyversion"]
_READ_ALLOCATIONS = [
    *_READ_POLICIES,
    "allocations.view_application",
    "allocations.view_applicationvalidation",
    "allocations.view_assessment",
    "allocations.view_vacancy",
    "allocations.view_biddingcycle",
    "allocations.view_bid",
    "allocations.view_shortlistentry",
    "allocations.view_locallettingsplan",
    # Keeping the register true: bedroom-need changes and renewals.
    "allocations.view_bedroomneedchange",
    "allocations.view_renewal",
]
_READ_EVIDENCE = ["allocations.view_evidencedocument"]
# Local lettings plans are policy data: officers and team leaders keep them with the adverts,
# administrators with the policy versions.
_MANAGE_LETTINGS_PLANS = [
    "allocations.add_locallettingsplan",
    "allocations.change_locallettingsplan",
]
_WORK_ALLOCATIONS = [
    "allocations.add_application",
    "allocations.change_application",
    "allocations.validate_application",
    "allocations.assess_application",
    "allocations.change_priority",
    "allocations.add_evidencedocument",
    "allocations.add_vacancy",
    "allocations.change_vacancy",
    "allocations.add_bid",
    "allocations.freeze_shortlist",
    "allocations.change_shortlistentry",
    *_MANAGE_LETTINGS_PLANS,
]
_APPROVE_OVERRIDES = ["allocations.approve_override"]
# CORE lettings logs (issue 16): officers and team leaders record each let's CORE answers and
# export the year's logs; auditors read and export them. The logs carry ethnicity and health
# codes, so only roles holding special-category access.
_READ_CORE = ["allocations.view_coreletanswers", "allocations.export_core"]
_RECORD_CORE = ["allocations.add_coreletanswers", "allocations.change_coreletanswers"]
# Low-cost home ownership resales (issue 14): officers and team leaders run the cases and keep
# the register of eligible purchasers; auditors and the head of service read them.
_READ_RESALES = [
    "allocations.view_resalecase",
    "allocations.view_resalenomination",
    "allocations.view_resalestep",
    "allocations.view_purchaser",
]
_WORK_RESALES = [
    "allocations.add_resalecase",
    "allocations.change_resalecase",
    "allocations.add_purchaser",
    "allocations.change_purchaser",
]
# Nominations to registered providers (issue 14): officers and team leaders nominate from a
# provider's home's frozen shortlist and review rejections; auditors and the head of service
# read nominations and the per-provider report; administrators keep the providers and who
# works for them (in /admin/). The provider's own staff hold only the permission to answer
# their own provider's nominations (allocations/predicates.py decides which ones).
_READ_NOMINATIONS = [
    "allocations.view_nomination",
    "allocations.view_provider_report",
    "sites.view_registeredprovider",
]
_WORK_NOMINATIONS = ["allocations.add_nomination", "allocations.change_nomination"]
_NOMINATION_SHOWINGS = ["allocations.view_nominationshowing"]
_MANAGE_PROVIDERS = [
    "sites.view_registeredprovider",
    "sites.add_registeredprovider",
    "sites.change_registeredprovider",
    "sites.view_providerstaff",
    "sites.add_providerstaff",
    "sites.change_providerstaff",
]
_ANSWER_NOMINATIONS = ["allocations.answer_nomination"]
# From shortlist to allocation: interviews, partners' checks, site visits, offers, decisions.
# Police and probation answers are criminal-record data (art. 10): their outcomes are shown
# only with config.view_special_category.
_READ_CASEWORK = [
    "allocations.view_partner",
    "allocations.view_duediligencecheck",
    "allocations.view_checkexception",
    "allocations.view_interview",
    "allocations.view_sitevisit",
    "allocations.view_offer",
    "allocations.view_allocationdecision",
    "allocations.view_decisionreview",
]
_WORK_CASEWORK = [
    "allocations.add_partner",
    "allocations.change_partner",
    "allocations.add_duediligencecheck",
    "allocations.change_duediligencecheck",
    "allocations.add_interview",
    "allocations.change_interview",
    "allocations.add_sitevisit",
    "allocations.change_sitevisit",
    "allocations.add_offer",
    "allocations.change_offer",
    "allocations.add_allocationdecision",
]
# Team leaders: exceptions to the checks, approving decisions, quality review of past ones.
_DECIDE_CASEWORK = [
    "allocations.add_checkexception",
    "allocations.approve_allocationdecision",
    "allocations.add_decisionreview",
    # Reviews of refused registrations (Housing Act 1996 s.166A(9)), never by the refuser.
    "allocations.decide_registration_review",
    # Reviews of a choice-based lettings band assessment (s.166A(9)(b),(c)), never by the
    # officer who assessed.
    "allocations.decide_band_review",
]
# What a correction would have changed (issue 16): officers record corrections made after the
# fact (with allocations.change_priority) and read the replay; team leaders decide the remedy;
# auditors read it all.
_READ_CORRECTIONS = ["allocations.view_correction"]
_DECIDE_REMEDIES = ["allocations.decide_correction_remedy"]
_PUBLISH_POLICIES = ["allocations.publish_policyversion"]
# Scanned post (the document inbox) and the communications log (issue 15): business support
# uploads the day's scans; officers and team leaders file them and record calls and visits;
# auditors read it all; the head of service reads the communications log.
_UPLOAD_POST = ["allocations.add_inboxdocument", "allocations.view_inboxdocument"]
_FILE_POST = [*_UPLOAD_POST, "allocations.change_inboxdocument"]
_READ_COMMUNICATIONS = ["allocations.view_contact"]
_RECORD_CONTACTS = ["allocations.add_contact"]
# Letters to households (issue 15): business support prints the post room's letters and marks
# them posted (officers and team leaders may too); officers and team leaders send again a
# letter that could not be sent; administrators keep the council's wording of every letter.
_POST_LETTERS = ["allocations.post_letter"]
_SEND_LETTERS = ["allocations.send_letter"]
_LETTER_WORDING = ["allocations.view_letterwording", "allocations.add_letterwording"]
# Vulnerability interviews and referrals hold health and criminal-record information: only
# the roles that decide cases (and auditors, reading) see them; case conferences likewise.
_READ_SUPPORT = [
    "allocations.view_vulnerabilityinterview",
    "allocations.view_referral",
    "allocations.view_caseconference",
]
_WORK_SUPPORT = [
    "allocations.add_vulnerabilityinterview",
    "allocations.add_referral",
    "allocations.change_referral",
    "allocations.add_caseconference",
]
# Extra Care panels (issue 14): the social care assessment is health information, so only the
# roles that decide cases record referrals and panels; auditors read them. The pack (every
# assessment) downloads only with config.view_special_category as well.
_READ_EXTRA_CARE = [
    "allocations.view_extracarereferral",
    "allocations.view_extracarepanel",
    "allocations.view_extracarepanelpack",
    "allocations.view_extracarelet",
]
_WORK_EXTRA_CARE = [
    "allocations.add_extracarereferral",
    "allocations.add_extracarepanel",
    "allocations.change_extracarepanel",
    "allocations.add_extracarepanelpack",
    "allocations.add_extracarelet",
]
# Licences, new-resident visits, breaches and the handbook (residents). Officers sign up and
# end licences; sites managers own the site handbooks and receive and progress breaches;
# business support sees what it needs to open a resident's account.
_READ_LICENCES = [
    "residents.view_licence",
    "residents.view_licenceoccupant",
    "residents.view_unauthorisedoccupant",
    "residents.view_licencedocument",
    "residents.view_newresidentvisit",
    "residents.view_meterreading",
    "residents.view_breach",
    "residents.view_handbooksection",
    "residents.view_handbookedition",
]
_ACCOUNT_OPENING = [
    "residents.view_licence",
    "residents.view_licenceoccupant",
    "residents.view_newresidentvisit",
    "residents.view_meterreading",
    "residents.view_handbooksection",
    "residents.view_handbookedition",
]
_WORK_LICENCES = [
    "residents.add_licence",
    "residents.change_licence",
    "residents.sign_licence",
    "residents.end_licence",
    "residents.add_licenceoccupant",
    "residents.change_licenceoccupant",
    "residents.add_unauthorisedoccupant",
    "residents.change_unauthorisedoccupant",
    "residents.change_newresidentvisit",
    "residents.add_meterreading",
    "residents.add_breach",
]
_PROGRESS_BREACHES = ["residents.change_breach"]
_EDIT_HANDBOOK = [
    "residents.add_handbooksection",
    "residents.change_handbooksection",
    "residents.add_handbookedition",
]
# Projects and the work queue. Everyone signed in sees their own queue on the home page; the
# head of service owns projects; officers keep tasks moving; team leaders see the team's queue
# and reassign its work.
_READ_PROJECTS = [
    "projects.view_project",
    "projects.view_workitem",
    "projects.view_milestone",
    "projects.view_risk",
    "projects.view_minutes",
    "projects.view_taskattachment",
]
_COMPLETE_OWN_WORK = ["projects.complete_workitem"]
# Giving open work a new owner or role. Team leaders hold it without the rest of
# _WORK_TASKS: they move the team's work (a deactivated officer's, someone's on leave) but do
# not change, cancel or reopen tasks, which change_workitem gates.
_REASSIGN_WORK = ["projects.reassign_workitem"]
_WORK_TASKS = [
    "projects.add_workitem",
    "projects.change_workitem",
    "projects.add_taskattachment",
    *_REASSIGN_WORK,
]
_TEAM_QUEUE = ["projects.view_team_queue"]
_REMINDERS = ["projects.view_reminder"]
_RUN_PROJECTS = [
    "projects.add_project",
    "projects.change_project",
    "projects.add_milestone",
    "projects.change_milestone",
    "projects.add_risk",
    "projects.change_risk",
    "projects.add_minutes",
    "projects.change_minutes",
]
# The annual census. Returns name the people on each pitch (personal data): officers and
# team leaders run the census, auditors and sites managers read it. The round's progress and
# its reports (figures, no names) are also for the head of service.
_READ_CENSUS_ROUNDS = [
    "census.view_censusround",
    "census.view_census_report",
    "census.view_caravancount",
]
_READ_CENSUS_RETURNS = [
    "census.view_censusreturn",
    "census.view_censusdifference",
]
_RUN_CENSUS = [
    "census.add_censusround",
    "census.change_censusround",
    "census.change_censusreturn",
    "census.change_censusdifference",
    "census.add_caravancount",
    "census.change_caravancount",
]
# Direct lets (issue 14): lets outside the bidding cycle. Officers and team leaders propose
# them; a team leader other than the proposer approves or declines (allocations/predicates.py
# and a database constraint); whoever reads casework reads them.
_READ_DIRECT_LETS = ["allocations.view_directlet"]
_PROPOSE_DIRECT_LETS = ["allocations.add_directlet"]
_DECIDE_DIRECT_LETS = ["allocations.decide_directlet"]
# Data protection (issue 16): officers and team leaders record and answer subject access
# requests (the export holds special-category and criminal-record data, as the officers'
# casework does); team leaders confirm retention batches, the one step that deletes personal
# data for good; auditors read requests, batches and the purge register; the head of service
# reads the register (counts, no personal data).
_READ_SUBJECT_ACCESS = ["privacy.view_subjectaccessrequest", "privacy.view_subjectaccessexemption"]
_ANSWER_SUBJECT_ACCESS = [
    *_READ_SUBJECT_ACCESS,
    "privacy.add_subjectaccessrequest",
    "privacy.change_subjectaccessrequest",
    "privacy.add_subjectaccessexemption",
]
_PURGE_REGISTER = ["privacy.view_purgeregisterentry"]
_READ_RETENTION = ["privacy.view_retentionbatch", *_PURGE_REGISTER]
_CONFIRM_RETENTION = [*_READ_RETENTION, "privacy.confirm_retentionbatch"]
# Local lettings plans (issue 14): officers draft them; only a team leader approves one.
_APPROVE_LETTINGS_PLANS = ["allocations.approve_locallettingsplan"]
# Administrators manage accounts and who holds which role; the roles themselves are set here.
# Management reports (issue 16): figures, no names; for those who manage and check the service.
_READ_REPORTS = ["allocations.view_reports"]
_ACCOUNTS = ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"]

ROLE_PERMISSIONS: dict[str, set[str]] = {
    OFFICER.name: {
        *_READ_CORRECTIONS,
        *_READ_NOMINATIONS,
        *_WORK_NOMINATIONS,
        *_NOMINATION_SHOWINGS,
        *_READ_DIRECT_LETS,
        *_PROPOSE_DIRECT_LETS,
        *_READ_CORE,
        *_RECORD_CORE,
        *_ANSWER_SUBJECT_ACCESS,
        *_READ_RESALES,
        *_WORK_RESALES,
        *_POST_LETTERS,
        *_SEND_LETTERS,
        *_READ_SUPPORT,
        *_WORK_SUPPORT,
        *_READ_EXTRA_CARE,
        *_WORK_EXTRA_CARE,
        *_FILE_POST,
        *_READ_COMMUNICATIONS,
        *_RECORD_CONTACTS,
        *_READ_LICENCES,
        *_WORK_LICENCES,
        *_PROGRESS_BREACHES,
        *_EDIT_HANDBOOK,
        *_READ_SITES,
        *_WRITE_SITES,
        *_READ_RESIDENTS,
        *_WRITE_RESIDENTS,
        *_SPECIAL_CATEGORY,
        *_READ_ALLOCATIONS,
        *_READ_EVIDENCE,
        *_WORK_ALLOCATIONS,
        *_READ_CASEWORK,
        *_WORK_CASEWORK,
        *_READ_PROJECTS,
        *_WORK_TASKS,
        *_COMPLETE_OWN_WORK,
        *_READ_CENSUS_ROUNDS,
        *_READ_CENSUS_RETURNS,
        *_RUN_CENSUS,
    },
    TEAM_LEADER.name: {
        *_READ_CORRECTIONS,
        *_DECIDE_REMEDIES,
        *_READ_NOMINATIONS,
        *_WORK_NOMINATIONS,
        *_NOMINATION_SHOWINGS,
        *_READ_DIRECT_LETS,
        *_PROPOSE_DIRECT_LETS,
        *_DECIDE_DIRECT_LETS,
        *_READ_CORE,
        *_RECORD_CORE,
        *_ANSWER_SUBJECT_ACCESS,
        *_CONFIRM_RETENTION,
        *_APPROVE_LETTINGS_PLANS,
        *_READ_RESALES,
        *_WORK_RESALES,
        *_POST_LETTERS,
        *_SEND_LETTERS,
        *_READ_SUPPORT,
        *_WORK_SUPPORT,
        *_READ_EXTRA_CARE,
        *_WORK_EXTRA_CARE,
        *_FILE_POST,
        *_READ_COMMUNICATIONS,
        *_RECORD_CONTACTS,
        *_READ_LICENCES,
        *_WORK_LICENCES,
        *_PROGRESS_BREACHES,
        *_READ_SITES,
        *_WRITE_SITES,
        *_READ_RESIDENTS,
        *_WRITE_RESIDENTS,
        *_SPECIAL_CATEGORY,
        *_READ_ALLOCATIONS,
        *_READ_EVIDENCE,
        *_WORK_ALLOCATIONS,
        *_APPROVE_OVERRIDES,
        *_READ_CASEWORK,
        *_WORK_CASEWORK,
        *_DECIDE_CASEWORK,
        *_READ_PROJECTS,
        *_COMPLETE_OWN_WORK,
        *_TEAM_QUEUE,
        *_REASSIGN_WORK,
        *_READ_CENSUS_ROUNDS,
        *_READ_CENSUS_RETURNS,
        *_RUN_CENSUS,
        *_READ_REPORTS,
    },
    AUDITOR.name: {
        *_WHOLE_HISTORY,
        *_READ_CORRECTIONS,
        *_READ_NOMINATIONS,
        *_NOMINATION_SHOWINGS,
        *_READ_DIRECT_LETS,
        *_READ_CORE,
        *_READ_SUBJECT_ACCESS,
        *_READ_RETENTION,
        *_READ_RESALES,
        *_READ_SUPPORT,
        *_READ_EXTRA_CARE,
        *_READ_COMMUNICATIONS,
        "allocations.view_inboxdocument",
        *_READ_LICENCES,
        *_READ_SITES,
        *_HISTORY,
        *_READ_RESIDENTS,
        *_SPECIAL_CATEGORY,
        *_SPECIAL_CATEGORY_LOG,
        *_READ_ALLOCATIONS,
        *_READ_EVIDENCE,
        *_READ_CASEWORK,
        *_READ_PROJECTS,
        *_REMINDERS,
        *_READ_CENSUS_ROUNDS,
        *_READ_CENSUS_RETURNS,
        *_READ_REPORTS,
    },
    SITES_MANAGER.name: {
        *_READ_LICENCES,
        *_PROGRESS_BREACHES,
        *_EDIT_HANDBOOK,
        *_READ_SITES,
        *_WRITE_SITES,
        *_READ_RESIDENTS,
        *_READ_POLICIES,
        "allocations.view_vacancy",
        "allocations.view_biddingcycle",
        *_READ_PROJECTS,
        *_COMPLETE_OWN_WORK,
        *_READ_CENSUS_ROUNDS,
        *_READ_CENSUS_RETURNS,
    },
    BUSINESS_SUPPORT.name: {
        *_POST_LETTERS,
        *_UPLOAD_POST,
        *_ACCOUNT_OPENING,
        *_READ_SITES,
        *_READ_RESIDENTS,
        *_READ_POLICIES,
        *_READ_PROJECTS,
        *_COMPLETE_OWN_WORK,
    },
    HEAD_OF_SERVICE.name: {
        *_READ_NOMINATIONS,
        *_READ_DIRECT_LETS,
        *_PURGE_REGISTER,
        *_READ_RESALES,
        *_READ_COMMUNICATIONS,
        *_READ_LICENCES,
        *_READ_SITES,
        *_HISTORY,
        *_READ_RESIDENTS,
        *_READ_ALLOCATIONS,
        *_READ_CASEWORK,
        *_READ_PROJECTS,
        *_RUN_PROJECTS,
        *_WORK_TASKS,
        *_COMPLETE_OWN_WORK,
        *_TEAM_QUEUE,
        *_REMINDERS,
        *_READ_CENSUS_ROUNDS,
        *_READ_REPORTS,
    },
    ADMINISTRATOR.name: {
        *_READ_SITES,
        *_WRITE_SITES,
        *_HISTORY,
        *_ACCOUNTS,
        *_READ_RESIDENTS,
        *_READ_POLICIES,
        *_PUBLISH_POLICIES,
        *_LETTER_WORDING,
        "allocations.view_locallettingsplan",
        *_MANAGE_LETTINGS_PLANS,
        *_MANAGE_PROVIDERS,
        *_READ_PROJECTS,
    },
    PROVIDER_STAFF.name: {*_ANSWER_NOMINATIONS},
}


def user_roles(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    if not user.is_authenticated:
        return []
    # A signed-in user is the project's User, which has PermissionsMixin's groups.
    names = {group.name for group in user.groups.all()}  # type: ignore[attr-defined]
    return [role for role in ROLES if role.name in names]


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    return any(r == role for r in user_roles(user))


# Who may own work (a task, a risk, a meeting's action; work for a role): the roles that may
# complete it. Provider staff, auditors and administrators cannot, so work is never theirs.
# Who may lead or sponsor a project: someone who can see it (never a provider's staff).
PROJECT_LEAD_ROLES = [
    role for role in ROLES if "projects.view_project" in ROLE_PERMISSIONS[role.name]
]
WORK_OWNER_ROLES = [
    role for role in ROLES if "projects.complete_workitem" in ROLE_PERMISSIONS[role.name]
]
