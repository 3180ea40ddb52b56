from django.apps import AppConfig


class ConsumersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'consumers'

    def ready(self):
        # function-level: AppConfig.ready(), models are not loaded when apps.py is imported
        from consumers.queries import cases_proven_by
        from ots_scheme.views import on_proven_cases

        # ots_scheme's public calculator offers the cases this browser proved;
        # consumers, above it (DESIGN §2), says which.
        on_proven_cases(cases_proven_by)
