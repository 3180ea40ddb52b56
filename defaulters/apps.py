from django.apps import AppConfig


class DefaultersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'defaulters'
