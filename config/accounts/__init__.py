"""Staff accounts: who may change whom in the admin, sessions ended at deactivation, sign-in
throttling beyond django-axes, and two-step sign-in (django-otp)."""
