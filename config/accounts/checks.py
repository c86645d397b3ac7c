"""Deploy checks for accounts: the demo's two-step shortcut never reaches production."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def two_step_demo_shortcut_off(app_configs, **kwargs):
    if settings.TWO_STEP_DEMO_OPTIONAL and not settings.DEBUG:
        return [
            Error(
                "TWO_STEP_DEMO_OPTIONAL lets accounts sign in without two-step sign-in.",
                hint="It is for the demo (config.settings.local) only: leave it False.",
                id="accounts.E001",
            )
        ]
    return []
