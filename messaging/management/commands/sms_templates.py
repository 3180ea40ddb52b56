"""Print the DLT template registry as JSON, for registration on the DLT portal."""

from messaging.registry import load
from redportal.commands import JsonCommand


class Command(JsonCommand):
    help = "Print every SMS template (Hindi and English separately) as registered on DLT."

    def handle(self, *args, **options):
        self.emit(load().as_json())
