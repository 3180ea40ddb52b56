from django.apps import AppConfig


class OtsSchemeConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'ots_scheme'

    def ready(self):
        # function-level: AppConfig.ready(), connects the catalogue's signals once models are loaded
        from ots_scheme import catalogue  # noqa: F401
        from ots_scheme.services import case_quotes_requeue
        from theft_cases.services import on_case_amounts_changed

        # theft_cases sits below ots_scheme (DESIGN §2): case feeding reports
        # changed amounts through this hook, and ots_scheme re-quotes.
        on_case_amounts_changed("ots_scheme", case_quotes_requeue)
