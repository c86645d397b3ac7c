"""Background work of the allocation engine: load by id, call a service, safe to retry."""

from celery import shared_task

from allocations import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
    time_limit=120,
    soft_time_limit=100,
)
def letter_render(self, *, letter_id: int) -> str:
    """Draw a requested letter's PDF. Running it twice draws it once."""
    try:
        return services.letter_render(letter_id=letter_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            # Out of retries: say so on the application's page rather than wait for ever.
            services.letter_failed(letter_id=letter_id, failure=f"{type(error).__name__}: {error}")
        raise
