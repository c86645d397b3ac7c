"""Local running (`make run`): safe defaults, nothing secret."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "local-only-not-secret-3b7c9f1e0a4d4e8f9d2a6b5c8e1f0a7d")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo users sign in with their password alone until they set up two-step sign-in
# (README, "Demo users"); TWO_STEP_DEMO_OPTIONAL=0 asks every account for it, as production does.
TWO_STEP_DEMO_OPTIONAL = env_bool("TWO_STEP_DEMO_OPTIONAL", True)
