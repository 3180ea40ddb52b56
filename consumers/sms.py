"""SMS through a pluggable backend (settings.SMS_BACKEND).

Indian DLT rules: every SMS is a registered template with typed variables, and
Hindi and English are separate templates. Templates are registered here by
key (``register_template``) so the texts stay in one place per app, and
``queue_sms`` only ever fills a registered template.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from consumers.models import SmsMessage, SmsStatus
from redportal.queueing import enqueue, enqueue_on_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsTemplate:
    key: str
    hi: str
    en: str
    variables: tuple[str, ...]


_TEMPLATES: dict[str, SmsTemplate] = {}


def register_template(key: str, *, hi: str, en: str, variables: tuple[str, ...]) -> None:
    """Register a DLT template: the Hindi and English texts with ``{name}`` slots."""
    _TEMPLATES[key] = SmsTemplate(key=key, hi=hi, en=en, variables=variables)


def get_template(key: str) -> SmsTemplate:
    return _TEMPLATES[key]


# Variables that must never be kept or logged in clear (DESIGN §7: OTPs are
# stored hashed): masked in logs, and removed from the outbox once a real
# provider has taken the message.
SECRET_VARIABLES = frozenset({"code"})
MASK = "******"


def masked_variables(variables: dict) -> dict:
    return {k: (MASK if k in SECRET_VARIABLES else v) for k, v in variables.items()}


def render(key: str, variables: dict, language: str, *, masked: bool = False) -> str:
    template = _TEMPLATES[key]
    missing = [v for v in template.variables if v not in variables]
    if missing:
        raise ValueError(f"SMS template {key}: missing variables {missing}")
    if masked:
        variables = masked_variables(variables)
    text = template.en if language.startswith("en") else template.hi
    return text.format(**{k: variables[k] for k in template.variables})


def queue_sms(*, mobile: str, template: str, variables: dict, language: str = "hi"
              ) -> SmsMessage:
    """Store the SMS in the outbox and deliver it from a Celery task after commit."""
    message = SmsMessage.objects.create(
        mobile=mobile, template=template, language="en" if language.startswith("en") else "hi",
        variables=variables, text=render(template, variables, language),
    )
    from consumers.tasks import deliver_sms

    # A broker outage leaves the message queued; deliver_queued_sms sends it later.
    enqueue_on_commit(deliver_sms, message.pk)
    return message


class OutboxBackend:
    """Keep messages in the database only: development and tests read them there.

    The outbox stands in for the phone, so it keeps the full text (OTP
    included). Never the production backend.
    """

    keeps_text = True
    # Refused in production unless ALLOW_SANDBOX (redportal/deployment.py).
    development_only = True

    def send(self, message: SmsMessage) -> None:
        return None


class ConsoleBackend:
    """Log the message with the mobile and any OTP masked (no secrets in logs)."""

    keeps_text = False
    development_only = True

    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to ******%s [%s]: %s", message.mobile[-4:], message.template,
                    render(message.template, message.variables, message.language,
                           masked=True))


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def deliver(message_id: int) -> bool:
    """Send one queued message through the backend; idempotent by status."""
    with transaction.atomic():
        message = (SmsMessage.objects.select_for_update()
                   .filter(pk=message_id, status=SmsStatus.QUEUED).first())
        if message is None:
            return False
        backend = get_backend()
        backend.send(message)
        message.status = SmsStatus.SENT
        message.sent_at = timezone.now()
        if not getattr(backend, "keeps_text", False):
            message.text = render(message.template, message.variables, message.language,
                                  masked=True)
            message.variables = masked_variables(message.variables)
        message.save(update_fields=["status", "sent_at", "text", "variables"])
    return True


def deliver_queued(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Queue delivery of messages left queued (e.g. the broker was down)."""
    from consumers.tasks import deliver_sms

    cutoff = timezone.now() - older_than
    ids = list(SmsMessage.objects.filter(status=SmsStatus.QUEUED, created_at__lt=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:5000])
    return sum(enqueue(deliver_sms, pk) for pk in ids)
