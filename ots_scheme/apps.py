from django.apps import AppConfig


class OtsSchemeConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'ots_scheme'

    def ready(self):
        # Connects the signals that keep the scheme catalogue fresh.
        from ots_scheme import catalogue  # noqa: F401
