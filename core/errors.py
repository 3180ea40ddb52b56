"""The one error family for refusals a person sees (STYLE.md).

A service raises a ``ServiceError`` (or a subclass: ``RegistrationError``,
``PaymentError``, ``OtpError``, ``MobileChangeError``, ``FeedingTargetError``,
``ClientInputError``, ``OrgTreeError``, ``CommandInputError``) with a message
already translated for the person — or a lazy one, which the API then gives
in Hindi and English — and a ``code`` naming the rule. Each surface maps the
family once: pages show ``message``, ``common.commands.JsonCommand`` prints
it as ``{"error": ...}`` (exit 2), and ``api.errors.api_exception_handler``
answers it in the API's error shape.
"""


class ServiceError(Exception):
    """A refusal with a message for people and a machine-readable code."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
