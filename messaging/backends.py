"""SMS backends: where a rendered message goes (settings.SMS_BACKEND).

A backend's ``send(message, *, template, text)`` hands one message to its
destination and returns the provider's reference for it (or ""). It raises
:class:`SmsTransientError` when trying again later may work (the provider is
down or busy) and :class:`SmsRefusedError` when it will not (the provider
refused this message); ``messaging.sms`` records either on the message.

The outbox and console backends are for development and tests only (DESIGN
§3): the real one is ``messaging.msg91.Msg91Backend``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Settings written before the messaging app existed still name these.
OLD_PATHS = {
    "consumers.sms.OutboxBackend": "messaging.backends.OutboxBackend",
    "consumers.sms.ConsoleBackend": "messaging.backends.ConsoleBackend",
}


class SmsTransientError(Exception):
    """The provider could not take the message now; try again later."""


class SmsRefusedError(Exception):
    """The provider (or the template check) refused the message; retrying cannot help."""


class OutboxBackend:
    """Keep messages in the database only: development and tests read them there.

    The outbox stands in for the phone, so it keeps the full text (OTP
    included). Never the production backend.
    """

    name = "outbox"
    keeps_text = True
    # Refused in production unless ALLOW_SANDBOX (redportal/deployment.py).
    development_only = True

    def send(self, message, *, template, text: str) -> str:
        return ""


class ConsoleBackend:
    """Log the message with the mobile and any OTP masked (no secrets in logs)."""

    name = "console"
    keeps_text = False
    development_only = True

    def send(self, message, *, template, text: str) -> str:
        # function-level: a cycle, messaging.sms imports this module at module level
        from messaging.sms import masked_variables

        logger.info("SMS to ******%s [%s]: %s", message.mobile[-4:], template.name,
                    template.render(masked_variables(message.variables), masked=True))
        return ""


def get_backend():
    path = OLD_PATHS.get(settings.SMS_BACKEND, settings.SMS_BACKEND)
    return import_string(path)()
