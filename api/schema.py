"""The published OpenAPI schema: bearer auth and the error shape on every operation."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

# Every status an operation may answer with besides its own (api.errors).
ERROR_STATUSES = {
    "400": "Invalid input (see fields)",
    "401": "No valid bearer token",
    "403": "The client lacks the scope",
    "404": "Not found, or outside the client's unit",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict",
    "413": "Request body too large",
    "415": "Unsupported media type",
    "429": "Throttled",
    "503": "The database is not answering (retry after Retry-After seconds)",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message_hi", "message_en", "fields"],
    "properties": {
        "code": {"type": "string"},
        "message_hi": {"type": "string"},
        "message_en": {"type": "string"},
        "fields": {"type": "object",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.access.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "The token printed once by `manage.py api_client_create`."}


# Bodies whose unknown keys are refused (nothing a client sends is dropped
# silently): a case row's unknown column rejects the row, any other unknown
# key the request.
CLOSED_BODIES = ("CaseBatchInRequest", "CaseRowInRequest", "PostingInRequest")


def add_error_responses(result, generator, request, public):
    """Declare the one error body for every status any operation can answer."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name in CLOSED_BODIES:
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result
