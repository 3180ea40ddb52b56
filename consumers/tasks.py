"""Celery tasks of the consumers app: thin wrappers over services."""

from celery import shared_task

from consumers import sms


@shared_task(name="consumers.tasks.deliver_sms", acks_late=True, max_retries=5,
             default_retry_delay=30)
def deliver_sms(message_id: int) -> bool:
    """Send one queued SMS (idempotent: a sent message is not sent again)."""
    return sms.deliver(message_id)


@shared_task(name="consumers.tasks.deliver_queued_sms")
def deliver_queued_sms() -> int:
    """Queue messages still waiting (the broker was down when they were made)."""
    return sms.deliver_queued()
