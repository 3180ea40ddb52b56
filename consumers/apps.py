from django.apps import AppConfig


class ConsumersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'consumers'

    def ready(self):
        # DLT templates must be known before any process queues an SMS.
        from consumers import sms_templates  # noqa: F401
