"""The one error family for refusals a person sees (STYLE.md).

A service raises a ``ServiceError`` (or a subclass) with a message already
translated for the person and a ``code`` naming the rule; views show the
message, management commands print it as ``{"error": ...}``.
"""


class ServiceError(Exception):
    """A refusal with a message for people and a machine-readable code."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
