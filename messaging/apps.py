from django.apps import AppConfig


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"
    verbose_name = "Messaging (SMS, OTP)"

    def ready(self):
        # Every process (web, worker, shell) knows every DLT template before
        # it queues or sends one: the catalogue registers them all.
        # function-level: AppConfig.ready(), the checks register, the templates load
        from messaging import checks, registry  # noqa: F401

        registry.load()
