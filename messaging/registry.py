"""The one DLT template registry every SMS goes through.

Indian DLT rules (TRAI TCCCPR 2018 and the operators' DLT portals): every
SMS text is a template registered by the principal entity with typed
variables, sent under a registered header, and the operator's scrubber
refuses a text that does not match its template. Hindi and English are
separate templates, each with its own DLT template id.

A template's text names its slots (``{code}``); its registered form
replaces each slot by the DLT variable tag of its type (``{#numeric#}``).
:meth:`SmsTemplate.render` fills the slots only with values of the right
type and checks the result against the registered form, so a message that
the scrubber would refuse is refused here, before sending.

Variable types (MSG91 "Variable tagging on DLT SMS templates"; the DLT
portals' rule of at most 30 characters per variable):

- ``numeric``: digits only (an OTP, a phase number);
- ``alphanumeric``: letters (any script) and digits, and spaces;
- ``url``: an ``https://`` address on the portal's host;
- ``var``: the untyped ``{#var#}``, any one-line text (case numbers with
  ``/``, amounts written ``₹12,346.00``, dates ``03-01-2026``).

DLT template ids, the entity id and the header come from settings
(``SMS_DLT_TEMPLATE_IDS``, ``SMS_DLT_ENTITY_ID``, ``SMS_PROVIDER_SENDER``),
filled in after the DLT portal approves the texts printed by
``manage.py sms_templates``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings

MAX_VARIABLE_LENGTH = 30
LANGUAGES = ("hi", "en")


class VarType(StrEnum):
    NUMERIC = "numeric"
    ALPHANUMERIC = "alphanumeric"
    URL = "url"
    VAR = "var"

    @property
    def tag(self) -> str:
        return "{#" + self.value + "#}"


# Letters of any script include the Devanagari vowel signs (category M).
_CLASSES = {
    VarType.NUMERIC: r"[0-9]",
    VarType.ALPHANUMERIC: r"(?:[^\W_]|[\u0900-\u097F]| )",
    VarType.URL: r"[^\s]",
    VarType.VAR: r"[^\x00-\x1f\x7f]",  # one line, no control characters
}
_PATTERNS = {kind: f"{cls}+" for kind, cls in _CLASSES.items()}
_PATTERNS[VarType.URL] = r"https://[^\s]+"
# The same classes bounded to the DLT length, for matching a whole text.
_BOUNDED = {kind: f"{cls}{{1,{MAX_VARIABLE_LENGTH}}}" for kind, cls in _CLASSES.items()}
_BOUNDED[VarType.URL] = f"https://[^\\s]{{1,{MAX_VARIABLE_LENGTH - len('https://')}}}"
MAX_TEXT_LENGTH = 2000  # the DLT portals' limit for one template
_TAG = re.compile(r"\{#(" + "|".join(t.value for t in VarType) + r")#\}")


class SmsTemplateError(ValueError):
    """A message that may not be sent: it would not match its DLT template."""


class UnknownTemplate(SmsTemplateError):
    pass


def check_value(name: str, kind: VarType, value) -> str:
    """Return ``value`` as text if it is a valid ``kind`` variable, else refuse."""
    text = str(value)
    if not text:
        raise SmsTemplateError(f"variable {name} is empty")
    if len(text) > MAX_VARIABLE_LENGTH:
        raise SmsTemplateError(
            f"variable {name} is {len(text)} characters, more than {MAX_VARIABLE_LENGTH}"
        )
    if not re.fullmatch(_PATTERNS[kind], text):
        raise SmsTemplateError(f"variable {name} is not {kind.value}: {text[:8]!r}…")
    if kind is VarType.URL:
        host = urlsplit(text).hostname or ""
        allowed = getattr(settings, "SMS_URL_HOSTS", [])
        if host not in allowed:
            raise SmsTemplateError(f"variable {name}: host {host!r} is not registered")
    return text


@dataclass(frozen=True)
class SmsTemplate:
    """One registered DLT template: one language, its text and typed slots."""

    key: str
    language: str
    text: str
    variables: tuple[tuple[str, VarType], ...]

    @property
    def name(self) -> str:
        """The template's name in the DLT registry and in settings: ``key.lang``."""
        return f"{self.key}.{self.language}"

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.variables)

    @property
    def registered_text(self) -> str:
        """The text as registered on the DLT portal, variables as type tags."""
        return self.text.format(**{name: kind.tag for name, kind in self.variables})

    @property
    def dlt_template_id(self) -> str:
        return str(getattr(settings, "SMS_DLT_TEMPLATE_IDS", {}).get(self.name, ""))

    def render(self, values: dict, *, masked: bool = False) -> str:
        """Fill the slots; refuse a missing or mistyped value (not when masked)."""
        missing = [name for name in self.variable_names if name not in values]
        if missing:
            raise SmsTemplateError(f"SMS template {self.name}: missing variables {missing}")
        if masked:
            return self.text.format(**{name: values[name] for name in self.variable_names})
        filled = {name: check_value(name, kind, values[name]) for name, kind in self.variables}
        text = self.text.format(**filled)
        if not self.matches(text):
            raise SmsTemplateError(f"SMS template {self.name}: text does not match")
        return text

    def matches(self, text: str) -> bool:
        """Return True if ``text`` is the registered text with valid variables.

        This is the operators' scrubbing, done here: the fixed parts must be
        equal character for character, each variable of its type and length.
        """
        pattern, position = [], 0
        registered = self.registered_text
        for tag in _TAG.finditer(registered):
            pattern.append(re.escape(registered[position:tag.start()]))
            pattern.append(f"(?:{_BOUNDED[VarType(tag.group(1))]})")
            position = tag.end()
        pattern.append(re.escape(registered[position:]))
        return len(text) <= MAX_TEXT_LENGTH and re.fullmatch("".join(pattern), text) is not None

    def as_dict(self) -> dict:
        return {
            "name": self.name, "key": self.key, "language": self.language,
            "dlt_template_id": self.dlt_template_id,
            "registered_text": self.registered_text,
            "variables": [{"name": n, "type": k.value, "max_length": MAX_VARIABLE_LENGTH}
                          for n, k in self.variables],
            "unicode": not self.text.isascii(),
        }


class Registry:
    """Templates by key and language; the module-level ``REGISTRY`` is the portal's."""

    def __init__(self):
        self._templates: dict[tuple[str, str], SmsTemplate] = {}

    def register(self, key: str, *, hi: str, en: str, variables: dict[str, VarType]) -> None:
        """Register the Hindi and the English template of one message (two DLT templates)."""
        typed = tuple((name, VarType(kind)) for name, kind in variables.items())
        for language, text in (("hi", hi), ("en", en)):
            template = SmsTemplate(key=key, language=language, text=text, variables=typed)
            # Every slot of the text is declared and every declared one is used.
            template.registered_text  # noqa: B018 - raises KeyError on an undeclared slot
            used = set(re.findall(r"\{(\w+)\}", text))
            if used != set(template.variable_names):
                raise SmsTemplateError(f"{template.name}: slots {sorted(used)} declared "
                                       f"{sorted(template.variable_names)}")
            self._templates[(key, language)] = template

    def unregister(self, key: str) -> None:
        for language in LANGUAGES:
            self._templates.pop((key, language), None)

    def get(self, key: str, language: str = "hi") -> SmsTemplate:
        lang = "en" if (language or "hi").startswith("en") else "hi"
        try:
            return self._templates[(key, lang)]
        except KeyError:
            raise UnknownTemplate(f"no SMS template {key!r} ({lang})") from None

    def __iter__(self):
        return iter(sorted(self._templates.values(), key=lambda t: (t.key, t.language)))

    def __len__(self):
        return len(self._templates)

    def render(self, key: str, variables: dict, language: str, *, masked: bool = False) -> str:
        return self.get(key, language).render(variables, masked=masked)

    def as_json(self) -> dict:
        return {
            "entity_id": getattr(settings, "SMS_DLT_ENTITY_ID", ""),
            "sender": getattr(settings, "SMS_PROVIDER_SENDER", ""),
            "max_variable_length": MAX_VARIABLE_LENGTH,
            "templates": [t.as_dict() for t in self],
        }


REGISTRY = Registry()


def load() -> Registry:
    """Register the portal's templates (``messaging/sms_templates.py``), once."""
    # function-level: a cycle, messaging.sms_templates imports this module at module level
    from messaging import sms_templates

    if not len(REGISTRY):
        sms_templates.register_all(REGISTRY)
    return REGISTRY


def render(key: str, variables: dict, language: str, *, masked: bool = False) -> str:
    """Render a registered template (see :meth:`SmsTemplate.render`)."""
    return load().render(key, variables, language, masked=masked)
