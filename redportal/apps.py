"""The project itself as an app: loads its system checks (redportal.deployment)."""

from django.apps import AppConfig


class RedportalConfig(AppConfig):
    name = "redportal"
    verbose_name = "RED portal"

    def ready(self):
        # function-level: AppConfig.ready(), registers the deploy system checks
        from redportal import deployment  # noqa: F401
