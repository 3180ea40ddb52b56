from django.apps import AppConfig


class TheftCasesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'theft_cases'
