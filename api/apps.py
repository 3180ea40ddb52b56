from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Integration API")

    def ready(self):
        # function-level: AppConfig.ready(), registers the bearer scheme with the OpenAPI schema
        from api import schema  # noqa: F401
