"""Queueing and sending SMS; the one owner of ``SmsMessage.status``.

queued → sending → sent → delivered / failed. A message is stored (the
outbox) before anything is sent, so nothing is lost when the broker or the
provider is down. Sending happens outside any transaction and row lock: a
short transaction claims the message (queued → sending), the provider is
called, a second one records the answer. A transient failure puts the
message back to queued with a back-off (15 s doubling to 10 min); after
``MAX_ATTEMPTS`` tries it is failed, where IT support sees it and can send it
again (``messaging/staff_views.py``).

Every text is a registered DLT template (``messaging.registry``): a message
whose variables do not fit its template is refused before sending and kept,
failed, with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.queueing import enqueue, enqueue_on_commit
from messaging import registry
from messaging.backends import SmsRefusedError, SmsTransientError, get_backend
from messaging.models import SmsMessage, SmsStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A worker that died between claiming and recording leaves "sending" behind.
SENDING_STALE_AFTER = dt.timedelta(minutes=5)

# Variables that must never be kept or logged in clear (DESIGN §7: OTPs are
# stored hashed): masked in logs, and removed from the outbox once a real
# provider has taken the message.
SECRET_VARIABLES = frozenset({"code"})
MASK = "******"


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


def masked_variables(variables: dict) -> dict:
    return {k: (MASK if k in SECRET_VARIABLES else v) for k, v in variables.items()}


def render(key: str, variables: dict, language: str, *, masked: bool = False) -> str:
    """Render a registered template (kept here for callers of the old module)."""
    if masked:
        variables = masked_variables(variables)
    return registry.render(key, variables, language, masked=masked)


def backoff(attempts: int) -> int:
    """Seconds before try ``attempts + 1``: 15, 30, 60 … at most 600."""
    return min(600, 15 * 2 ** max(0, attempts - 1))


def _language(language: str) -> str:
    return "en" if (language or "hi").startswith("en") else "hi"


def sms_queue(*, mobile: str, template: str, variables: dict, language: str = "hi",
              bulk: bool = False) -> SmsMessage:
    """Store the SMS in the outbox and deliver it from a Celery task after commit.

    A message whose variables do not fit its DLT template is stored failed,
    with the reason, and never sent. ``bulk`` sends it from the bulk queue
    (reminders), so it never waits in front of an OTP.
    """
    lang = _language(language)
    found = registry.load().get(template, lang)
    missing = [name for name in found.variable_names if name not in variables]
    if missing:
        raise registry.SmsTemplateError(f"SMS template {found.name}: missing {missing}")
    try:
        text, error = found.render(variables), ""
    except registry.SmsTemplateError as err:
        text, error = found.render(masked_variables(variables), masked=True), str(err)
    message = SmsMessage.objects.create(
        mobile=mobile, template=template, language=lang, variables=variables, text=text,
        status=SmsStatus.FAILED if error else SmsStatus.QUEUED,
        error=f"refused before sending: {error}"[:255] if error else "",
        failed_at=timezone.now() if error else None,
    )
    if error:
        logger.warning("SMS %s refused before sending: %s", message.pk, error)
        return message
    # function-level: a cycle, messaging.tasks imports this module at module level
    from messaging.tasks import deliver_sms

    # A broker outage leaves the message queued; deliver_queued_sms sends it later.
    enqueue_on_commit(deliver_sms, message.pk, queue=_queue(bulk))
    return message


def _queue(bulk: bool) -> str:
    return settings.CELERY_QUEUE_BULK if bulk else settings.CELERY_QUEUE_FAST


def sms_deliver(message_id: int) -> tuple[str, int]:
    """Send one queued message; return (outcome, seconds before a retry).

    Idempotent by status: a message that is not queued is left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        message = (SmsMessage.objects.select_for_update()
                   .filter(pk=message_id, status=SmsStatus.QUEUED).first())
        if message is None:
            return Outcome.SKIPPED, 0
        message.status = SmsStatus.SENDING
        message.attempts += 1
        message.last_attempt_at = now
        message.save(update_fields=["status", "attempts", "last_attempt_at"])
    # Outside the transaction: the provider may take seconds, no lock is held.
    backend = get_backend()
    try:
        template = registry.load().get(message.template, message.language)
        text = template.render(message.variables)
        if text != message.text:
            raise registry.SmsTemplateError("stored text differs from the registered template")
        reference = backend.send(message, template=template, text=text) or ""
    except (registry.SmsTemplateError, SmsRefusedError) as err:
        _record_failure(message, f"refused: {err}")
        return Outcome.FAILED, 0
    except SmsTransientError as err:
        return _record_transient(message, str(err))
    except Exception as err:  # noqa: BLE001 - an unexpected fault is retried, then shown
        logger.exception("SMS %s: backend %s failed", message.pk, backend.__class__.__name__)
        return _record_transient(message, f"{err.__class__.__name__}: {err}")
    fields = {"status": SmsStatus.SENT, "sent_at": timezone.now(), "error": "",
              "next_attempt_at": None, "provider": getattr(backend, "name", ""),
              "provider_ref": reference[:64]}
    if not getattr(backend, "keeps_text", False):
        fields["text"] = render(message.template, message.variables, message.language,
                                masked=True)
        fields["variables"] = masked_variables(message.variables)
    SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.SENDING).update(**fields)
    return Outcome.SENT, 0


def _record_failure(message: SmsMessage, error: str) -> None:
    logger.warning("SMS %s failed: %s", message.pk, error)
    SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.SENDING).update(
        status=SmsStatus.FAILED, error=error[:255], failed_at=timezone.now(),
        next_attempt_at=None,
    )


def _record_transient(message: SmsMessage, error: str) -> tuple[str, int]:
    if message.attempts >= MAX_ATTEMPTS:
        _record_failure(message, f"gave up after {message.attempts} tries: {error}")
        return Outcome.FAILED, 0
    delay = backoff(message.attempts)
    logger.warning("SMS %s: try %s failed (%s); next in %ss", message.pk, message.attempts,
                   error, delay)
    SmsMessage.objects.filter(pk=message.pk, status=SmsStatus.SENDING).update(
        status=SmsStatus.QUEUED, error=error[:255],
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
    )
    return Outcome.RETRY, delay


def queued_sms_deliver(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Queue delivery of messages left queued (the broker was down, a retry is due)."""
    # function-level: a cycle, messaging.tasks imports this module at module level
    from messaging.tasks import deliver_sms

    now = timezone.now()
    SmsMessage.objects.filter(status=SmsStatus.SENDING,
                              last_attempt_at__lt=now - SENDING_STALE_AFTER).update(
        status=SmsStatus.QUEUED, next_attempt_at=None)
    ids = list(
        SmsMessage.objects.filter(status=SmsStatus.QUEUED, created_at__lt=now - older_than)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at").values_list("pk", flat=True)[:5000]
    )
    return sum(enqueue(deliver_sms, pk, queue=_queue(False)) for pk in ids)


def sms_resend(*, message_id: int, user) -> bool:
    """Send a failed message again (IT support); return False if it is not failed."""
    # function-level: a cycle, messaging.tasks imports this module at module level
    from messaging.tasks import deliver_sms

    with transaction.atomic():
        updated = SmsMessage.objects.filter(pk=message_id, status=SmsStatus.FAILED).update(
            status=SmsStatus.QUEUED, attempts=0, next_attempt_at=None, failed_at=None,
            error="", resent_by=user, resent_at=timezone.now(),
        )
        if updated:
            logger.info("SMS %s resent by %s", message_id, user.get_username())
            enqueue_on_commit(deliver_sms, message_id, queue=_queue(False))
    return bool(updated)


def dlr_apply(*, provider: str, reference: str, delivered: bool, reason: str = "") -> bool:
    """Record a delivery report: sent → delivered or failed; return True if applied.

    Reports repeat and may come in any order: a delivered message stays
    delivered; a later "delivered" overrides a "failed" report.
    """
    messages = SmsMessage.objects.filter(provider=provider, provider_ref=reference)
    now = timezone.now()
    if delivered:
        updated = messages.filter(status__in=[SmsStatus.SENT, SmsStatus.FAILED],
                                  sent_at__isnull=False).update(
            status=SmsStatus.DELIVERED, delivered_at=now, error="")
    else:
        updated = messages.filter(status=SmsStatus.SENT).update(
            status=SmsStatus.FAILED, failed_at=now,
            error=f"not delivered: {reason or 'failed'}"[:255])
    return bool(updated)
