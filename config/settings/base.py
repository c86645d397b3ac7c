"""Settings shared by every environment. Values that differ come from the environment."""

import logging
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


COUNCIL_NAME = env("COUNCIL_NAME", "Northshire County Council")
# The government's caravan count is taken once a year, on one day in this month (census/).
CARAVAN_COUNT_MONTH = 1
# Where households bid by phone (the advertising newsletter prints it).
LETTINGS_PHONE = env("LETTINGS_PHONE", "0300 456 0100")
SERVICE_NAME = env("SERVICE_NAME", "Allocations and sites")
# Where "open a resident account" requests go; blank sends them to the business support
# role's members.
BUSINESS_SUPPORT_EMAIL = env("BUSINESS_SUPPORT_EMAIL", "")
# The licence terms in force for new licences (templates/residents/pdf/<version>/) and the
# deposit, in weeks of pitch fee, that the pitch allocation policy asks for.
LICENCE_TERMS_VERSION = env("LICENCE_TERMS_VERSION", "2026-1")
LICENCE_DEPOSIT_WEEKS = int(env("LICENCE_DEPOSIT_WEEKS", "2"))

# CORE lettings logs (allocations/core): the council's organisation ID in CORE (owner and
# manager of its homes; the demo's is made up), the ONS code of its local authority area, and
# whether it returns its pitch lets to CORE too.
CORE_ORGANISATION_ID = env("CORE_ORGANISATION_ID", "ORG-DEMO")
CORE_LOCAL_AUTHORITY = env("CORE_LOCAL_AUTHORITY", "E07000112")
CORE_RETURN_PITCHES = env("CORE_RETURN_PITCHES", "false").lower() == "true"

# Casework: how long a proposed allocation may wait for a team leader before reminders go,
# and how long due-diligence answers are kept (the retention schedule).
DECISION_APPROVAL_DAYS = int(env("DECISION_APPROVAL_DAYS", "3"))
# Days an approved direct let has to be let (its offer made and accepted) before it lapses
# and frees the home; the officers' queue shows it a week before.
DIRECT_LET_LAPSE_DAYS = int(env("DIRECT_LET_LAPSE_DAYS", "28"))
# Days a scanned document may wait unfiled in the inbox before it shows in the team's queue.
INBOX_UNFILED_DAYS = int(env("INBOX_UNFILED_DAYS", "2"))
CHECK_RETENTION_YEARS = int(env("CHECK_RETENTION_YEARS", "6"))
# Separation of duties when the only team leader proposed an allocation: who decides it
# instead. "head_of_service" (anyone holding that role), or the username of a named deputy.
DECISION_DEPUTY = env("DECISION_DEPUTY", "head_of_service")
# An approved allocation's draft licence starts this many days after approval (editable).
LICENCE_START_AFTER_DAYS = int(env("LICENCE_START_AFTER_DAYS", "7"))

INSTALLED_APPS = [
    "config.apps.CouncilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "csp",
    "rules",
    # Two-step sign-in: authenticator apps (TOTP) and one-off recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, in dependency order: projects <- sites <- residents <- allocations; census uses all.
    "config.apps.ConfigAppConfig",
    "projects",
    "sites",
    "residents",
    "allocations",
    "census",
    "allocations.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /health/ answers before sessions and sign-in, which need the database it checks.
    "config.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads a request: control characters in the address, oversized uploads.
    "config.kernel.inputs.GetFilterGuardMiddleware",
    "config.kernel.files.UploadSizeLimitMiddleware",
    # Says so when work this request queued could not reach Redis (kept: config/kernel/outbox).
    "config.middleware.OutboxNoticeMiddleware",
    "config.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.accounts.two_step.TwoStepRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
        },
    },
]


def database(url: str, *, conn_max_age: int) -> dict:
    """A DATABASES entry for `url`, as every settings module makes it. No JIT compilation: a
    page's queries are short, and when the planner's statistics are stale its cost estimates
    can pass jit_above_cost, when compiling takes longer than the query (a four-line shortlist
    once took 0.3 s, all of it JIT). DATABASE_JIT=1 leaves the server's setting (say, behind a
    pooler that refuses start-up options)."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if not env_bool("DATABASE_JIT", False):
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return dict(config)


DATABASES = {
    "default": database(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allocations"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# The application's role owns nothing; `manage.py migrate` connects as the owner when
# MIGRATION_DATABASE_URL is given, and then grants the application's role its rights
# (config/kernel/database.py). Empty: one role for both, as a single-user set-up has.
MIGRATION_DATABASE_URL = env("MIGRATION_DATABASE_URL", "") or ""
DATABASE_APPLICATION_ROLE = DATABASES["default"]["USER"] if MIGRATION_DATABASE_URL else ""
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "allocations"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # `officerofficer`, `officer2026`, `abcabcabcabc`: the guesses tried first.
    {"NAME": "config.passwords.UsernameOrRepeatValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Object permissions as predicates (each app's predicates.py, imported by its AppConfig.ready).
    "rules.permissions.ObjectPermissionBackend",
    # Grants nothing: loads the user's permissions from the cache for ModelBackend to read.
    "config.accounts.permissions.CachedPermissions",
    "django.contrib.auth.backends.ModelBackend",
]
# Two-step sign-in (config/accounts/two_step.py): the roles (group names) whose accounts must
# give a code from an authenticator app or a recovery code after their password; superusers
# always must. Every staff role unless set otherwise.
TWO_STEP_REQUIRED_ROLES = env_list(
    "TWO_STEP_REQUIRED_ROLES",
    "officer,team_leader,auditor,sites_manager,business_support,head_of_service,administrator,"
    "provider_staff",
)
# The demo only (config.settings.local): an account with no two-step device yet signs in with
# its password alone. Never on in production (a deploy check refuses it without DEBUG).
TWO_STEP_DEMO_OPTIONAL = False
# The issuer shown in authenticator apps beside the username.
OTP_TOTP_ISSUER = SERVICE_NAME
LOGIN_URL = "login"
# The service's address, for links in emails (a nomination's secure link to a provider).
SERVICE_URL = env("SERVICE_URL", "http://localhost:8000")
# How long a nomination's emailed secure link works.
NOMINATION_LINK_DAYS = int(env("NOMINATION_LINK_DAYS", "14"))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: an idle timeout of 30 minutes and an absolute limit of 12 hours from sign-in
# (config.middleware.SessionTimeoutMiddleware enforces both; the cookie age is the backstop).
SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIMIT_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling: five failures for a username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Password spraying (config/accounts/throttling.py): an address that fails with this many
# different usernames within the window may not sign in until the window passes.
SIGN_IN_SPRAY_USERNAMES = int(env("SIGN_IN_SPRAY_USERNAMES", "10"))
SIGN_IN_SPRAY_MINUTES = 15
# Password reset emails: per address and per account, within the window.
PASSWORD_RESET_PER_ADDRESS = int(env("PASSWORD_RESET_PER_ADDRESS", "5"))
PASSWORD_RESET_PER_ACCOUNT = int(env("PASSWORD_RESET_PER_ACCOUNT", "3"))
PASSWORD_RESET_WINDOW_MINUTES = 60

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded evidence is private: never under STATIC or a public URL; served by views that
# check permissions.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Where the file-based email backend writes (benchmark_reminders' worker).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "allocations@northshire.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis as the broker, JSON only, and tasks that survive a lost worker.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# A task taken by a worker that dies (SIGKILL, out of memory) goes back to the queue once it
# has been unacknowledged this long: longer than any task's hard time limit (300 s) plus its
# longest retry countdown (retry_backoff with 3 to 5 retries: at most 32 s), so a task still
# running is never handed to a second worker, and far shorter than Redis's default hour. The
# outbox's sweep sends a job again only after a further minute.
CELERY_VISIBILITY_TIMEOUT = int(env("CELERY_VISIBILITY_TIMEOUT", "420"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Messages a dead worker took are looked for every tenth of the timeout (at most every 10 s)
    # and on every look: kombu 5.7 otherwise scans on only every tenth look, which puts a
    # killed task's redelivery up to 100 s after its timeout.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A worker killed while holding the restore lock holds up redelivery no longer than this.
    "unacked_mutex_expire": max(5, min(300, CELERY_VISIBILITY_TIMEOUT)),
    # A broker that doesn't answer fails a request's send at once (the outbox keeps the job).
    "socket_connect_timeout": 3,
}
# Redis lost while a late-acknowledged task runs: the message is delivered again, so the
# running copy is stopped rather than finished twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# The outbox (config/kernel/outbox.py): a job sent this long ago and still not done is sent
# again by the sweep (after the broker's own redelivery would have happened).
OUTBOX_RESEND_AFTER_SECONDS = int(
    env("OUTBOX_RESEND_AFTER_SECONDS", str(CELERY_VISIBILITY_TIMEOUT + 60))
)
# A reminder whose send was claimed this long ago and never marked sent was interrupted (its
# worker died between sending and marking): it is sent once more, flagged. Longer than the
# reminders task's hard time limit, so a send still under way is never taken for one.
REMINDER_SEND_INTERRUPTED_AFTER_SECONDS = int(env("REMINDER_SEND_INTERRUPTED_AFTER_SECONDS", "330"))
# The right-hand side of every Message-ID we make (deterministic ids let mail systems drop a
# repeat of the same email).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", "") or ""
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "config.tasks.heartbeat_record", "schedule": 60.0},
    # Outbox jobs not yet done (Redis was down, a message was lost): sent again.
    "outbox-sweep": {"task": "config.tasks.outbox_sweep", "schedule": 60.0},
    # Tasks due tomorrow, overdue tasks and risks past review: each reminder emailed once.
    "projects-reminders": {"task": "projects.tasks.reminders_send", "schedule": 15 * 60.0},
    # Census rounds not started by their planned date, returns outstanding after the deadline.
    "census-reminders": {"task": "census.tasks.census_reminders_create", "schedule": 60 * 60.0},
    # Licences whose end date (after notice, or a transfer) has come: closed, units void.
    "licences-end-due": {"task": "residents.tasks.licences_end_due", "schedule": 60 * 60.0},
    # Introductory tenancies, nightly at 02:20: those whose period has ended become secure;
    # those 8 weeks from its end go to the team leaders' queue for review.
    "tenancies-nightly": {
        "task": "residents.tasks.tenancies_nightly",
        "schedule": crontab(hour=2, minute=20),
    },
    # Keeping the register true (allocations/tasks.py), nightly at 02:10: bedroom-need changes
    # ahead and on the day, renewals, suspensions and refusal penalties that end.
    "allocations-housekeeping": {
        "task": "allocations.tasks.housekeeping_nightly",
        "schedule": crontab(hour=2, minute=10),
    },
    # Bidding cycles: every shortlist frozen within a minute of the close (23:59:59 counts);
    # the auto-bidder's bids placed within a minute of the opening.
    "cycles-close-due": {"task": "allocations.tasks.cycles_close_due", "schedule": 60.0},
    "cycles-open-due": {"task": "allocations.tasks.cycles_open_due", "schedule": 60.0},
    # Each drawn advertising newsletter emailed, once, to its recipients.
    "newsletters-email-due": {
        "task": "allocations.tasks.newsletters_email_due",
        "schedule": 5 * 60.0,
    },
    # Retention (allocations/privacy/retention.py), nightly at 03:20: what the schedule says
    # is due is put in a batch for a team leader to confirm; nothing is deleted until they do.
    "retention-batch": {
        "task": "allocations.privacy.tasks.retention_batch_nightly",
        "schedule": crontab(hour=3, minute=20),
    },
}

# How long each kind of record is kept (allocations/privacy/retention.py), in years after
# the date the rule names. Changing a period changes what the next nightly batch finds.
RETENTION_SCHEDULE = {
    # A household whose every application was refused, found invalid, withdrawn or lapsed,
    # with no licence: everything about it, this many years after its last application closed.
    "closed_applications": int(env("RETENTION_CLOSED_APPLICATION_YEARS", "2")),
    # A due-diligence answer (police, probation, landlord): the check, this many years after
    # its case ended (its application closed or housed).
    "due_diligence_answers": int(env("CHECK_RETENTION_YEARS", "6")),
    # A licence (and its occupants, documents, visits and breaches): this many years after it
    # ended.
    "ended_licences": int(env("RETENTION_LICENCE_YEARS", "6")),
    # A would-be buyer on the low-cost home ownership register (and their nominations to
    # resales): this many years after the last change to either, none still going.
    "purchasers": int(env("RETENTION_PURCHASER_YEARS", "2")),
}


def _client_error_traceback_drop():
    """A logging filter: a 4xx response (a 403, say) is one line, without the traceback of the
    exception that made it; server errors keep theirs."""

    def drop(record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

    return drop


# Each line once: every logger either propagates to root's one handler or has its own and
# doesn't propagate. "django" must be named: Django's DEFAULT_LOGGING gives it a console
# handler of its own, which would otherwise print each of its lines a second time.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_error_traceback_drop": {"()": _client_error_traceback_drop}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_error_traceback_drop"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": env("LOG_LEVEL", "INFO"), "propagate": True},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
CELERY_TASK_DEFAULT_QUEUE = "allocations"

# Reasons for changes are evidence for auditors: keep them whole, however long.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
