"""``api_client_create NAME --unit CODE --scopes S[,S…]`` (DESIGN §3, §8)."""

from api.services import client_create, parse_scopes
from common.commands import JsonCommand


class Command(JsonCommand):
    help = "Make a machine client of the integration API and print its token once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--unit", required=True)
        parser.add_argument("--scopes", required=True)

    def handle(self, *args, **options):
        # A ClientInputError (a ServiceError) is printed as {"error"} by JsonCommand.
        scopes = parse_scopes(options["scopes"])
        client, token = client_create(name=options["name"], unit_code=options["unit"],
                                      scopes=scopes)
        self.emit({"client": client.name, "token": token})
