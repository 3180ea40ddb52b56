from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'organization'

    def ready(self):
        # function-level: AppConfig.ready(), connects the catalogue's signals once models are loaded
        from organization import catalogue  # noqa: F401
