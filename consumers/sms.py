"""SMS through a pluggable backend (settings.SMS_BACKEND).

Indian DLT rules: every SMS is a registered template with typed variables, and
Hindi and English are separate templates. Templates are registered here by
key (``register_template``) so the texts stay in one place per app, and
``queue_sms`` only ever fills a registered template.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from consumers.models import SmsMessage, SmsStatus

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


def render(key: str, variables: dict, language: str) -> str:
    template = _TEMPLATES[key]
    missing = [v for v in template.variables if v not in variables]
    if missing:
        raise ValueError(f"SMS template {key}: missing variables {missing}")
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

    transaction.on_commit(lambda: deliver_sms.delay(message.pk))
    return message


class OutboxBackend:
    """Keep messages in the database only (development and tests read them)."""

    def send(self, message: SmsMessage) -> None:
        return None


class ConsoleBackend:
    """Print to the log, masking the mobile (no personal data in logs)."""

    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to ******%s [%s]: %s", message.mobile[-4:], message.template,
                    message.text)


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def deliver(message_id: int) -> bool:
    """Send one queued message through the backend; idempotent by status."""
    with transaction.atomic():
        message = (SmsMessage.objects.select_for_update()
                   .filter(pk=message_id, status=SmsStatus.QUEUED).first())
        if message is None:
            return False
        get_backend().send(message)
        message.status = SmsStatus.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["status", "sent_at"])
    return True
