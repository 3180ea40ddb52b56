from django.apps import AppConfig


class OtsSchemeConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'ots_scheme'
