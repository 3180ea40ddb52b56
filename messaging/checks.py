"""`check --deploy`: production sends SMS through the real provider, configured.

DESIGN §3: the console and outbox backends serve development (DEBUG) or a
staging site that says so (``ALLOW_SANDBOX=1``), never production.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEVELOPMENT_BACKENDS = {
    "messaging.backends.OutboxBackend", "messaging.backends.ConsoleBackend",
    "consumers.sms.OutboxBackend", "consumers.sms.ConsoleBackend",
}
MSG91_SETTINGS = ("SMS_PROVIDER_AUTH_KEY", "SMS_PROVIDER_SENDER", "SMS_PROVIDER_DLR_TOKEN",
                  "SMS_DLT_ENTITY_ID")


@register(Tags.security, deploy=True)
def check_sms_backend(app_configs=None, **kwargs):
    errors = []
    sandbox_allowed = settings.DEBUG or getattr(settings, "ALLOW_SANDBOX", False)
    if settings.SMS_BACKEND in DEVELOPMENT_BACKENDS and not sandbox_allowed:
        errors.append(Error(
            f"SMS_BACKEND is {settings.SMS_BACKEND}, a development backend: no SMS leaves.",
            hint="Set SMS_BACKEND=messaging.msg91.Msg91Backend (docs/deploy.md), or "
                 "ALLOW_SANDBOX=1 on a staging site.", id="messaging.E001"))
    if settings.SMS_BACKEND == "messaging.msg91.Msg91Backend":
        for name in MSG91_SETTINGS:
            value = str(getattr(settings, name, "") or "")
            if not value or "change-me" in value:
                errors.append(Error(f"{name} is not set for the MSG91 adapter.",
                                    hint="docs/deploy.md, \"SMS: MSG91 (DLT)\".",
                                    id="messaging.E002"))
        ids = getattr(settings, "SMS_DLT_TEMPLATE_IDS", {})
        if not ids or any("change-me" in str(v) for v in ids.values()):
            errors.append(Error("SMS_DLT_TEMPLATE_IDS has no DLT template ids.",
                                hint="manage.py sms_templates lists the template names.",
                                id="messaging.E002"))
    return errors
