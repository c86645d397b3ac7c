"""The access matrix: which permission each URL needs to GET and to POST, and the URLs
that need none. tests/test_access.py proves every role gets exactly this."""

# Reachable without signing in: signing in and out, resetting a password, the health check.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
}

# Reachable without signing in, only with a signed, expiring token for one record (the
# nomination's secure link emailed to a provider's contact): a wrong or expired token gets a
# 404 saying so and no data (tests/allocations/test_nomination_views.py).
TOKEN_PROTECTED = {"allocations:nomination-link"}

# The second step of signing in: any signed-in user, whose session may not have passed it yet
# (tests/accounts/test_two_step.py).
SIGN_IN_SECOND_STEP = {"two-step-verify", "two-step-setup"}

# The management reports (allocations/reports/selectors/__init__.py): a page, a CSV and an
# xlsx each.
REPORT_SLUGS = [
    "lets", "waits", "bids", "refusals", "voids", "casework", "register", "occupancy",
]  # fmt: skip

# url name -> (permission needed to GET, permission needed to POST or None if GET-only).
# None for GET means any signed-in user.
MATRIX = {
    "home": (None, None),
    "ping": (None, None),
    "change-log": ("config.view_change_log", None),
    "change-log-csv": ("config.view_change_log", None),
    "records-viewed": ("config.view_change_log", None),
    "sites:site-list": ("sites.view_site", None),
    "sites:site-create": ("sites.add_site", "sites.add_site"),
    "sites:site-detail": ("sites.view_site", None),
    "sites:site-edit": ("sites.change_site", "sites.change_site"),
    "sites:site-history": ("sites.view_site", None),
    "sites:unit-create": ("sites.add_unit", "sites.add_unit"),
    "sites:unit-detail": ("sites.view_unit", None),
    "sites:unit-edit": ("sites.change_unit", "sites.change_unit"),
    "sites:unit-history": ("sites.view_unit", None),
    "sites:void-list": ("sites.view_unit", None),
    "residents:household-list": ("residents.view_household", "residents.view_household"),
    "residents:household-create": ("residents.add_household", "residents.add_household"),
    "residents:household-detail": ("residents.view_household", None),
    "residents:household-edit": ("residents.change_household", "residents.change_household"),
    "residents:household-history": ("residents.view_household", None),
    "residents:person-create": ("residents.add_person", "residents.add_person"),
    "residents:person-edit": ("residents.change_person", "residents.change_person"),
    "residents:person-history": ("residents.view_person", None),
    "residents:special-category-views": ("residents.view_specialcategoryview", None),
    "residents:licence-list": ("residents.view_licence", None),
    "residents:licence-detail": ("residents.view_licence", None),
    "residents:licence-history": ("residents.view_licence", None),
    "residents:licence-edit": ("residents.change_licence", "residents.change_licence"),
    "residents:licence-documents": (None, "residents.change_licence"),
    "residents:licence-document-download": ("residents.view_licencedocument", None),
    "residents:licence-evidence-download": ("residents.view_licence", None),
    "residents:licence-statement": ("residents.change_licence", "residents.change_licence"),
    "residents:licence-sign": ("residents.sign_licence", "residents.sign_licence"),
    "residents:licence-end": ("residents.end_licence", "residents.end_licence"),
    "residents:licence-consent": ("residents.change_licence", "residents.change_licence"),
    "residents:licence-succession": ("residents.end_licence", "residents.end_licence"),
    "residents:introductory-review": ("residents.end_licence", "residents.end_licence"),
    "residents:occupant-add": (
        "residents.add_licenceoccupant",
        "residents.add_licenceoccupant",
    ),
    "residents:occupant-end": (
        "residents.change_licenceoccupant",
        "residents.change_licenceoccupant",
    ),
    "residents:occupant-role": (None, "residents.change_licenceoccupant"),
    "residents:unauthorised-occupant-create": (
        "residents.add_unauthorisedoccupant",
        "residents.add_unauthorisedoccupant",
    ),
    "residents:unauthorised-occupant-update": (
        "residents.change_unauthorisedoccupant",
        "residents.change_unauthorisedoccupant",
    ),
    "residents:breach-create": ("residents.add_breach", "residents.add_breach"),
    "residents:breach-list": ("residents.view_breach", None),
    "residents:visit-detail": ("residents.view_newresidentvisit", None),
    "residents:visit-history": ("residents.view_newresidentvisit", None),
    "residents:visit-dates": (
        "residents.change_newresidentvisit",
        "residents.change_newresidentvisit",
    ),
    "residents:visit-handbook": (
        "residents.change_newresidentvisit",
        "residents.change_newresidentvisit",
    ),
    "residents:visit-notify": (None, "residents.change_newresidentvisit"),
    "residents:visit-complete": (None, "residents.change_newresidentvisit"),
    "residents:meter-reading-create": ("residents.add_meterreading", "residents.add_meterreading"),
    "residents:meter-photo": ("residents.view_meterreading", None),
    "residents:breach-detail": ("residents.view_breach", None),
    "residents:breach-history": ("residents.view_breach", None),
    "residents:breach-update": ("residents.change_breach", "residents.change_breach"),
    "residents:breach-evidence": ("residents.view_breach", None),
    "residents:handbook": ("residents.view_handbooksection", None),
    "residents:handbook-section-create": (
        "residents.add_handbooksection",
        "residents.add_handbooksection",
    ),
    "residents:handbook-section-edit": (
        "residents.change_handbooksection",
        "residents.change_handbooksection",
    ),
    "residents:handbook-section-history": ("residents.view_handbooksection", None),
    "residents:handbook-print": (
        "residents.add_handbookedition",
        "residents.add_handbookedition",
    ),
    "residents:handbook-download": ("residents.view_handbookedition", None),
    "allocations:application-list": (
        "allocations.view_application",
        "allocations.view_application",
    ),
    "allocations:application-create": (
        "allocations.add_application",
        "allocations.add_application",
    ),
    "allocations:application-detail": ("allocations.view_application", None),
    "allocations:application-submit": (None, "allocations.change_application"),
    "allocations:application-validate": (
        "allocations.validate_application",
        "allocations.validate_application",
    ),
    "allocations:application-assess": (
        "allocations.assess_application",
        "allocations.assess_application",
    ),
    "allocations:application-dates": ("allocations.change_priority", "allocations.change_priority"),
    "allocations:application-status": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:evidence-upload": (
        "allocations.add_evidencedocument",
        "allocations.add_evidencedocument",
    ),
    "allocations:application-history": ("allocations.view_application", None),
    "allocations:evidence-download": ("allocations.view_evidencedocument", None),
    "allocations:letter-download": ("allocations.view_application", None),
    "allocations:override-request": (
        "allocations.assess_application",
        "allocations.assess_application",
    ),
    "allocations:override-decide": ("allocations.approve_override", "allocations.approve_override"),
    "allocations:vacancy-list": ("allocations.view_vacancy", None),
    "allocations:vacancy-create": ("allocations.add_vacancy", "allocations.add_vacancy"),
    "allocations:vacancy-detail": ("allocations.view_vacancy", None),
    "allocations:vacancy-advertise": (None, "allocations.change_vacancy"),
    "allocations:bid-create": ("allocations.add_bid", "allocations.add_bid"),
    "allocations:bid-withdraw": ("allocations.add_bid", "allocations.add_bid"),
    "allocations:application-bids": ("allocations.view_bid", None),
    "allocations:connection-create": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:connection-end": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:application-auto-bids": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:connection-exemption": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:access-needs-record": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:cycle-list": ("allocations.view_vacancy", None),
    "allocations:cycle-create": ("allocations.add_vacancy", "allocations.add_vacancy"),
    "allocations:cycle-detail": ("allocations.view_vacancy", None),
    "allocations:cycle-close": ("allocations.freeze_shortlist", "allocations.freeze_shortlist"),
    "allocations:cycle-results": ("allocations.view_vacancy", None),
    "allocations:cycle-history": ("allocations.view_biddingcycle", None),
    "allocations:advert-publish": ("allocations.change_vacancy", "allocations.change_vacancy"),
    "allocations:advert-photo-add": ("allocations.change_vacancy", "allocations.change_vacancy"),
    "allocations:advert-photo": ("allocations.view_vacancy", None),
    "allocations:newsletter-publish": (None, "allocations.change_vacancy"),
    "allocations:newsletter-download": ("allocations.view_vacancy", None),
    "allocations:newsletter-recipients": (
        "allocations.change_vacancy",
        "allocations.change_vacancy",
    ),
    "allocations:newsletter-recipient-stop": (
        "allocations.change_vacancy",
        "allocations.change_vacancy",
    ),
    "allocations:let-result-publish": (None, "allocations.change_vacancy"),
    "allocations:lettings-plan-list": (
        "allocations.view_locallettingsplan",
        "allocations.add_locallettingsplan",
    ),
    "allocations:lettings-plan-edit": (
        "allocations.change_locallettingsplan",
        "allocations.change_locallettingsplan",
    ),
    "allocations:lettings-plan-approve": (
        "allocations.approve_locallettingsplan",
        "allocations.approve_locallettingsplan",
    ),
    # Low-cost home ownership resales (issue 14).
    "allocations:resale-list": ("allocations.view_resalecase", None),
    "allocations:resale-create": ("allocations.add_resalecase", "allocations.add_resalecase"),
    "allocations:resale-detail": ("allocations.view_resalecase", None),
    "allocations:resale-valuation": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:resale-nominate": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:resale-sold": ("allocations.change_resalecase", "allocations.change_resalecase"),
    "allocations:resale-not-eligible": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:resale-letter": ("allocations.view_resalecase", None),
    "allocations:resale-history": ("allocations.view_resalecase", None),
    "allocations:purchaser-history": ("allocations.view_purchaser", None),
    "allocations:tenancy-letter": ("residents.view_licence", None),
    "allocations:resale-release": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:resale-nomination-proceed": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:resale-nomination-withdraw": (
        "allocations.change_resalecase",
        "allocations.change_resalecase",
    ),
    "allocations:purchaser-list": ("allocations.view_purchaser", None),
    "allocations:purchaser-create": ("allocations.add_purchaser", "allocations.add_purchaser"),
    "allocations:purchaser-edit": ("allocations.change_purchaser", "allocations.change_purchaser"),
    # CORE lettings logs (issue 16).
    "allocations:core-export": ("allocations.export_core", None),
    "allocations:core-export-csv": ("allocations.export_core", None),
    "allocations:core-answers": (
        "allocations.change_coreletanswers",
        "allocations.change_coreletanswers",
    ),
    "allocations:nomination-core-answers": (
        "allocations.change_coreletanswers",
        "allocations.change_coreletanswers",
    ),
    "allocations:vacancy-core": ("allocations.change_vacancy", "allocations.change_vacancy"),
    "allocations:application-core": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:application-consent": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:vacancy-freeze": ("allocations.freeze_shortlist", "allocations.freeze_shortlist"),
    "allocations:vacancy-withdraw": ("allocations.change_vacancy", "allocations.change_vacancy"),
    "allocations:vacancy-fall-through": (
        "allocations.change_vacancy",
        "allocations.change_vacancy",
    ),
    "allocations:shortlist-replay": ("allocations.view_vacancy", None),
    "allocations:vacancy-history": ("allocations.view_vacancy", None),
    "allocations:shortlist-bypass": (
        "allocations.change_shortlistentry",
        "allocations.change_shortlistentry",
    ),
    "allocations:shortlist-bypass-decide": (
        "allocations.approve_allocationdecision",
        "allocations.approve_allocationdecision",
    ),
    "allocations:shortlist-bypass-undo": (
        "allocations.change_shortlistentry",
        "allocations.change_shortlistentry",
    ),
    "allocations:vacancy-offers-reset": (
        "allocations.approve_allocationdecision",
        "allocations.approve_allocationdecision",
    ),
    "allocations:policy-list": ("allocations.view_policyversion", None),
    "allocations:policy-detail": ("allocations.view_policyversion", None),
    "allocations:policy-publish": (
        "allocations.publish_policyversion",
        "allocations.publish_policyversion",
    ),
    "projects:project-list": ("projects.view_project", None),
    "projects:project-create": ("projects.add_project", "projects.add_project"),
    "projects:project-detail": ("projects.view_project", None),
    "projects:project-edit": ("projects.change_project", "projects.change_project"),
    "projects:project-history": ("projects.view_project", None),
    "projects:task-create": ("projects.add_workitem", "projects.add_workitem"),
    "projects:milestone-create": ("projects.add_milestone", "projects.add_milestone"),
    "projects:risk-create": ("projects.add_risk", "projects.add_risk"),
    "projects:milestone-achieve": ("projects.change_milestone", "projects.change_milestone"),
    "projects:risk-edit": ("projects.change_risk", "projects.change_risk"),
    "projects:minutes-create": ("projects.add_minutes", "projects.add_minutes"),
    "projects:task-detail": ("projects.view_workitem", None),
    "projects:task-edit": ("projects.change_workitem", "projects.change_workitem"),
    # Completing work that is not yours (or your role's) is refused with a message, not a 403.
    "projects:task-complete": (None, "projects.complete_workitem"),
    "projects:task-reopen": ("projects.change_workitem", "projects.change_workitem"),
    "projects:task-reassign": ("projects.reassign_workitem", "projects.reassign_workitem"),
    "projects:task-cancel": ("projects.change_workitem", "projects.change_workitem"),
    "projects:task-history": ("projects.view_workitem", None),
    "projects:attachment-upload": ("projects.add_taskattachment", "projects.add_taskattachment"),
    "projects:attachment-download": ("projects.view_taskattachment", None),
    "projects:team-queue": ("projects.view_team_queue", None),
    # Acknowledging a reminder sent to someone else is refused with a message, not a 403.
    "projects:reminder-acknowledge": (None, "projects.complete_workitem"),
    "allocations:case-history": ("allocations.view_application", None),
    "allocations:partner-list": ("allocations.view_partner", None),
    "allocations:partner-create": ("allocations.add_partner", "allocations.add_partner"),
    "allocations:partner-edit": ("allocations.change_partner", "allocations.change_partner"),
    "allocations:partner-history": ("allocations.view_partner", None),
    "allocations:interview-create": ("allocations.add_interview", "allocations.add_interview"),
    "allocations:interview-outcome": (
        "allocations.change_interview",
        "allocations.change_interview",
    ),
    "allocations:interview-history": ("allocations.view_interview", None),
    "allocations:check-create": (
        "allocations.add_duediligencecheck",
        "allocations.add_duediligencecheck",
    ),
    "allocations:check-exception": (
        "allocations.add_checkexception",
        "allocations.add_checkexception",
    ),
    "allocations:check-detail": ("allocations.view_duediligencecheck", None),
    "allocations:check-return": (
        "allocations.change_duediligencecheck",
        "allocations.change_duediligencecheck",
    ),
    "allocations:check-history": ("allocations.view_duediligencecheck", None),
    "allocations:sitevisit-create": ("allocations.add_sitevisit", "allocations.add_sitevisit"),
    "allocations:sitevisit-outcome": (
        "allocations.change_sitevisit",
        "allocations.change_sitevisit",
    ),
    "allocations:sitevisit-history": ("allocations.view_sitevisit", None),
    # Keeping the register true (issue 15)
    "allocations:need-changes-report": ("allocations.view_application", None),
    "allocations:need-change-detail": ("allocations.view_application", None),
    "allocations:need-change-check": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:need-change-history": ("allocations.view_bedroomneedchange", None),
    "allocations:renewals-due": ("allocations.view_application", None),
    "allocations:renewal-detail": ("allocations.view_application", None),
    "allocations:renewal-history": ("allocations.view_renewal", None),
    "allocations:renewal-receive": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    # Joining the register (issue 13)
    "allocations:application-correction-create": (
        "allocations.change_priority",
        "allocations.change_priority",
    ),
    "allocations:correction-list": ("allocations.view_correction", None),
    "allocations:correction-detail": ("allocations.view_correction", None),
    "allocations:correction-csv": ("allocations.view_correction", None),
    "allocations:correction-history": ("allocations.view_correction", None),
    "allocations:correction-remedy": (
        "allocations.decide_correction_remedy",
        "allocations.decide_correction_remedy",
    ),
    "allocations:registration-reviews": ("allocations.view_application", None),
    "allocations:registration-review-request": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:registration-review-decide": (
        "allocations.decide_registration_review",
        "allocations.decide_registration_review",
    ),
    # Choice-based lettings: reviews of a band assessment (s.166A(9)(b),(c))
    "allocations:band-reviews": ("allocations.view_application", None),
    "allocations:band-review-request": (
        "allocations.change_application",
        "allocations.change_application",
    ),
    "allocations:band-review-decide": (
        "allocations.decide_band_review",
        "allocations.decide_band_review",
    ),
    "allocations:effective-date-backdate": (
        "allocations.change_priority",
        "allocations.change_priority",
    ),
    "allocations:inbox-list": ("allocations.view_inboxdocument", None),
    "allocations:inbox-upload": (
        "allocations.add_inboxdocument",
        "allocations.add_inboxdocument",
    ),
    "allocations:inbox-file": (
        "allocations.change_inboxdocument",
        "allocations.change_inboxdocument",
    ),
    "allocations:inbox-forward": (
        "allocations.change_inboxdocument",
        "allocations.change_inboxdocument",
    ),
    "allocations:inbox-download": ("allocations.view_inboxdocument", None),
    "allocations:inbox-history": ("allocations.view_inboxdocument", None),
    "allocations:communications": ("allocations.view_contact", None),
    "allocations:contact-create": ("allocations.add_contact", "allocations.add_contact"),
    # Letters sent to households: the post room, sending again, the council's wording.
    "allocations:post-room": ("allocations.post_letter", None),
    "allocations:post-room-letter": ("allocations.post_letter", None),
    "allocations:letter-posted": ("allocations.post_letter", "allocations.post_letter"),
    "allocations:letter-send-again": ("allocations.send_letter", "allocations.send_letter"),
    "allocations:letter-handed-over": ("allocations.send_letter", "allocations.send_letter"),
    "allocations:wording-list": ("allocations.view_letterwording", None),
    "allocations:wording-history": ("allocations.view_letterwording", None),
    "allocations:wording-new": (
        "allocations.add_letterwording",
        "allocations.add_letterwording",
    ),
    "allocations:vulnerability-create": (
        "allocations.add_vulnerabilityinterview",
        "allocations.add_vulnerabilityinterview",
    ),
    "allocations:vulnerability-detail": ("allocations.view_vulnerabilityinterview", None),
    "allocations:referral-create": ("allocations.add_referral", "allocations.add_referral"),
    "allocations:referral-detail": ("allocations.view_referral", None),
    "allocations:referral-response": (
        "allocations.change_referral",
        "allocations.change_referral",
    ),
    "allocations:referral-history": ("allocations.view_referral", None),
    "allocations:direct-let-list": ("allocations.view_directlet", None),
    "allocations:direct-let-create": ("allocations.add_directlet", "allocations.add_directlet"),
    # Team leaders decide on the direct let's own page (never one they proposed).
    "allocations:direct-let-detail": (
        "allocations.view_directlet",
        "allocations.decide_directlet",
    ),
    "allocations:direct-let-history": ("allocations.view_directlet", None),
    # Officers close an approved direct let that will not go ahead, with a reason.
    "allocations:direct-let-close": ("allocations.add_directlet", "allocations.add_directlet"),
    "allocations:extracare-referral-list": ("allocations.view_extracarereferral", None),
    "allocations:extracare-referral-create": (
        "allocations.add_extracarereferral",
        "allocations.add_extracarereferral",
    ),
    "allocations:extracare-referral-detail": ("allocations.view_extracarereferral", None),
    "allocations:extracare-panel-list": ("allocations.view_extracarepanel", None),
    "allocations:extracare-panel-create": (
        "allocations.add_extracarepanel",
        "allocations.add_extracarepanel",
    ),
    "allocations:extracare-panel-detail": ("allocations.view_extracarepanel", None),
    "allocations:extracare-decision": (
        "allocations.change_extracarepanel",
        "allocations.change_extracarepanel",
    ),
    "allocations:extracare-pack-request": (
        "allocations.add_extracarepanelpack",
        "allocations.add_extracarepanelpack",
    ),
    # The pack also needs config.view_special_category, which every role reading it holds.
    "allocations:extracare-pack-download": ("allocations.view_extracarepanelpack", None),
    "allocations:extracare-let-create": (
        "allocations.add_extracarelet",
        "allocations.add_extracarelet",
    ),
    "allocations:extracare-let-detail": ("allocations.view_extracarelet", None),
    "allocations:extracare-let-history": ("allocations.view_extracarelet", None),
    "allocations:conference-list": ("allocations.view_caseconference", None),
    "allocations:conference-create": (
        "allocations.add_caseconference",
        "allocations.add_caseconference",
    ),
    "allocations:conference-detail": ("allocations.view_caseconference", None),
    "allocations:offer-create": ("allocations.add_offer", "allocations.add_offer"),
    "allocations:offer-detail": ("allocations.view_offer", None),
    "allocations:offer-reply": ("allocations.change_offer", "allocations.change_offer"),
    "allocations:offer-withdraw": ("allocations.change_offer", "allocations.change_offer"),
    "allocations:offer-history": ("allocations.view_offer", None),
    "allocations:decision-propose": (
        "allocations.add_allocationdecision",
        "allocations.add_allocationdecision",
    ),
    "allocations:decision-queue": ("allocations.approve_allocationdecision", None),
    "allocations:decision-sample": ("allocations.add_decisionreview", None),
    "allocations:diary": ("allocations.view_interview", None),
    "allocations:checks-overdue": ("allocations.approve_allocationdecision", None),
    # Team leaders decide on the decision's own page; everyone who reads decisions sees it.
    "allocations:decision-detail": (
        "allocations.view_allocationdecision",
        "allocations.approve_allocationdecision",
    ),
    "allocations:decision-review": (
        "allocations.add_decisionreview",
        "allocations.add_decisionreview",
    ),
    "allocations:decision-history": ("allocations.view_allocationdecision", None),
    "reports:index": ("allocations.view_reports", None),
    **{
        f"reports:{slug}{suffix}": ("allocations.view_reports", None)
        for slug in REPORT_SLUGS
        for suffix in ("", "-csv", "-xlsx")
    },
    "census:round-list": ("census.view_censusround", None),
    "census:round-create": ("census.add_censusround", "census.add_censusround"),
    "census:round-detail": ("census.view_censusround", None),
    "census:round-start": (None, "census.change_censusround"),
    "census:round-close": (None, "census.change_censusround"),
    "census:round-report": ("census.view_census_report", None),
    "census:round-report-csv": ("census.view_census_report", None),
    "census:round-report-xlsx": ("census.view_census_report", None),
    "census:count-derive": ("census.add_caravancount", "census.add_caravancount"),
    "census:round-history": ("census.view_censusround", None),
    "census:return-detail": ("census.view_censusreturn", None),
    "census:return-edit": ("census.change_censusreturn", "census.change_censusreturn"),
    "census:return-history": ("census.view_censusreturn", None),
    "census:difference-apply": (
        "census.change_censusdifference",
        "census.change_censusdifference",
    ),
    "census:difference-dismiss": (
        "census.change_censusdifference",
        "census.change_censusdifference",
    ),
    "census:difference-history": ("census.view_censusdifference", None),
    "census:count-list": ("census.view_caravancount", None),
    "census:count-create": ("census.add_caravancount", "census.add_caravancount"),
    "census:off-site-count-create": ("census.add_caravancount", "census.add_caravancount"),
    "census:count-csv": ("census.view_caravancount", None),
    "census:count-history": ("census.view_caravancount", None),
    # Nominations to registered providers (issue 14).
    "allocations:nomination-list": ("allocations.view_nomination", None),
    "allocations:nomination-detail": ("allocations.view_nomination", None),
    "allocations:nomination-history": ("allocations.view_nomination", None),
    "allocations:nomination-review": (
        "allocations.change_nomination",
        "allocations.change_nomination",
    ),
    "allocations:nomination-link-resend": (
        "allocations.change_nomination",
        "allocations.change_nomination",
    ),
    "allocations:nomination-create": (None, "allocations.add_nomination"),
    "allocations:vacancy-readvertise": ("allocations.add_nomination", "allocations.add_nomination"),
    "allocations:provider-list": ("allocations.view_provider_report", None),
    "allocations:provider-report": ("allocations.view_provider_report", None),
    # The provider's own staff: only their own provider's nominations (the records' nomination
    # is to the provider the provider_staff user works for; another's is refused, see
    # tests/allocations/test_nomination_views.py).
    "allocations:provider-nomination-list": ("allocations.answer_nomination", None),
    "allocations:provider-nomination-detail": (
        "allocations.answer_nomination",
        "allocations.answer_nomination",
    ),
    # Data protection (privacy): subject access requests, retention batches, the register.
    "privacy:sar-list": ("privacy.view_subjectaccessrequest", None),
    "privacy:sar-create": (
        "privacy.add_subjectaccessrequest",
        "privacy.add_subjectaccessrequest",
    ),
    "privacy:sar-create-purchaser": (
        "privacy.add_subjectaccessrequest",
        "privacy.add_subjectaccessrequest",
    ),
    "privacy:sar-detail": ("privacy.view_subjectaccessrequest", None),
    "privacy:sar-exemption": (
        "privacy.add_subjectaccessexemption",
        "privacy.add_subjectaccessexemption",
    ),
    "privacy:sar-export": (
        "privacy.change_subjectaccessrequest",
        "privacy.change_subjectaccessrequest",
    ),
    "privacy:sar-answer": (
        "privacy.change_subjectaccessrequest",
        "privacy.change_subjectaccessrequest",
    ),
    "privacy:batch-list": ("privacy.view_retentionbatch", None),
    "privacy:batch-detail": ("privacy.view_retentionbatch", None),
    "privacy:batch-confirm": ("privacy.confirm_retentionbatch", "privacy.confirm_retentionbatch"),
    "privacy:batch-cancel": ("privacy.confirm_retentionbatch", "privacy.confirm_retentionbatch"),
    "privacy:purge-register": ("privacy.view_purgeregisterentry", None),
}

# Actions that are buttons, not pages: they take POST only (GET is 405 for those allowed).
POST_ONLY = {
    "residents:occupant-role",
    "residents:licence-documents",
    "residents:visit-notify",
    "residents:visit-complete",
    "allocations:application-submit",
    "allocations:vacancy-advertise",
    "allocations:newsletter-publish",
    "allocations:let-result-publish",
    "allocations:letter-posted",
    "allocations:extracare-pack-request",
    "allocations:nomination-create",
    "projects:task-complete",
    "projects:reminder-acknowledge",
    "census:round-start",
    "census:round-close",
}
# Actions whose empty POST is complete in itself (a button press), answered with a redirect
# back to the record and a message, rather than a form with errors (400).
BUTTON_POSTS = {
    "residents:occupant-role",  # refused on a signed licence, with a message
    "residents:licence-documents",  # refused on a live licence, with a message
    "residents:visit-notify",
    "residents:visit-complete",  # refused while things are outstanding, with a message
    "residents:handbook-print",
    "allocations:application-list",  # a name search, saved in the session
    "allocations:application-submit",
    "allocations:application-assess",  # no criteria ticked is a valid assessment
    "allocations:vacancy-advertise",
    "allocations:newsletter-publish",  # refused with a message: the cycle has no adverts
    "allocations:let-result-publish",  # refused with a message: the home is not let
    "allocations:letter-posted",  # refused with a message: the letter is not in the post room
    "allocations:extracare-pack-request",  # refused with a message: already requested
    "allocations:nomination-create",  # refused with a message: one nomination at a time
    "projects:task-complete",
    "projects:reminder-acknowledge",
    "census:round-start",
    "census:round-close",
    # A census return saves part-done: an empty form is a valid save ("finish later").
    "census:return-edit",
}

# Buttons whose record decides too (each app's predicates.py): the records' task belongs to a
# person with no role, so only a role that may complete anyone's task (the head of service)
# passes; the others are refused with 403 like any other "not allowed".
OBJECT_POSTS = {"projects:task-complete": "projects.change_project"}

# POSTs that change no records, so read-only roles (auditors included) may make them: a search
# form POSTs its criteria so that no personal data goes in a URL (Post/Redirect/Get).
READ_ONLY_POSTS = {"residents:household-list", "allocations:application-list"}
