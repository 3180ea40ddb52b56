"""Print the DLT template registry as JSON, for registration on the DLT portal."""

from common.commands import JsonCommand
from messaging.registry import load


class Command(JsonCommand):
    help = "Print every SMS template (Hindi and English separately) as registered on DLT."

    def handle(self, *args, **options):
        self.emit(load().as_json())
