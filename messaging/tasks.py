"""Celery tasks of messaging: thin wrappers over ``messaging.sms``.

Both run on the fast queue (settings.CELERY_TASK_ROUTES); a reminder's
delivery is sent to the bulk queue by ``sms_queue(bulk=True)``.
"""

from celery import shared_task

from messaging import sms


# No result kept: the message row records what became of it, and nobody
# waits on the task. Queuing one then costs no result-channel subscription
# (each OTP send queues one), nor a result in Redis for each reminder sent.
@shared_task(bind=True, name="messaging.tasks.deliver_sms", acks_late=True,
             max_retries=sms.MAX_ATTEMPTS, ignore_result=True)
def deliver_sms(self, message_id: int) -> str:
    """Send one queued SMS; retry with back-off while the provider is down.

    Idempotent by status: a sent message is not sent again. Tries are
    counted on the message, so a retry queued by the sweep counts too. Run
    eagerly (a laptop, the tests) the retry is left to the sweep, which
    honours the message's ``next_attempt_at``.
    """
    outcome, delay = sms.sms_deliver(message_id)
    if outcome == sms.Outcome.RETRY and not self.request.is_eager:
        raise self.retry(countdown=delay)
    return outcome


@shared_task(name="messaging.tasks.deliver_queued_sms")
def deliver_queued_sms() -> int:
    """Queue messages still waiting (the broker was down when they were made)."""
    return sms.queued_sms_deliver()
