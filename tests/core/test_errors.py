"""One error family for refusals a person sees (STYLE.md, issue 13).

Every exception class an app defines is a ``core.errors.ServiceError``,
unless it is listed below with the reason it is not a refusal for people
(an outside service's failure, a programming error, a pure module's code
that a service turns into a ``ServiceError``). A new ``FooError(ValueError)``
with a message for people fails here.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from core.errors import ServiceError

ROOT = Path(__file__).resolve().parents[2]
APPS = ["api", "common", "consumers", "core", "dashboard", "messaging", "organization",
        "ots_scheme", "payments", "redportal", "theft_cases", "defaulters"]
NOT_REFUSALS = {
    # Outside services: retried or logged, never shown as they are.
    "payments.gateways.base.GatewayError", "payments.gateways.base.InvalidCallback",
    "messaging.backends.SmsTransientError", "messaging.backends.SmsRefusedError",
    # A message that would not match its DLT template: a programming error.
    "messaging.registry.SmsTemplateError", "messaging.registry.UnknownTemplate",
    # Pure modules (no Django, no gettext) name the rule by a code; the
    # service or form above turns it into the person's message.
    "core.money.AmountError", "ots_scheme.settlement.QuoteError",
    "theft_cases.rows.NegativeValue", "theft_cases.rows.TooLarge",
    # Answered as a 404 / the API's posting_conflict, carrying an object.
    "payments.receipts.NotYetIssued", "payments.ledger_feed.PostingConflict",
    # The API's own protocol refusals (a DRF APIException with the API's
    # codes), answered by the same handler that maps the family.
    "api.errors.ApiError",
    # Control flow inside the consumer journey's views.
    "consumers.views._Restart",
    # theft_cases is being split into import modules by other work of
    # issue 13: this one joins the family there.
    "theft_cases.import_files.ImportFileError",
}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).exists() else []:
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or "management" in rel.parts:
                continue
            name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            if name in ("redportal.wsgi", "redportal.asgi", "redportal.settings_test"):
                continue
            yield name


def exception_classes() -> dict[str, type]:
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) \
                    and value.__module__ == name:
                found[f"{name}.{attr}"] = value
    return found


def outside_the_family(classes: dict[str, type]) -> list[str]:
    return sorted(
        name for name, cls in classes.items()
        if not issubclass(cls, ServiceError)
        and not any(issubclass(cls, classes[other]) for other in NOT_REFUSALS
                    if other in classes)
        and name not in NOT_REFUSALS
    )


@pytest.fixture(scope="module")
def classes():
    return exception_classes()


def test_every_refusal_is_a_service_error(classes):
    assert outside_the_family(classes) == []


def test_the_known_refusals_are_found(classes):
    for name in ("payments.services.PaymentError", "messaging.otp.OtpError",
                 "consumers.mobile_change.MobileChangeError",
                 "common.commands.CommandInputError"):
        assert any(found.endswith(name.rsplit(".", 1)[1]) for found in classes), name


def test_the_check_catches_a_stray_error_class():
    class StrayError(ValueError):
        pass

    assert outside_the_family({"x.StrayError": StrayError}) == ["x.StrayError"]


@pytest.mark.django_db
def test_a_command_prints_any_service_refusal_as_its_error(capsys):
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exit_info:
        call_command("api_client_create", "Bad Name!", "--unit", "nowhere",
                     "--scopes", "cases:read")
    assert exit_info.value.code == 2
    assert '"error"' in capsys.readouterr().out


def test_the_api_answers_a_refusal_in_both_languages():
    from django.utils.translation import gettext_lazy

    from api.errors import api_exception_handler

    response = api_exception_handler(
        ServiceError(gettext_lazy("This report was already resolved."), code="state"), {})
    assert response.status_code == 400
    assert response.data["code"] == "state"
    assert response.data["message_en"] == "This report was already resolved."
    assert response.data["message_hi"] != response.data["message_en"]
