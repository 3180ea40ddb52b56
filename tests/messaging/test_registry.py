"""The one DLT template registry: every template renders to its registered form."""

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from messaging.registry import (
    MAX_VARIABLE_LENGTH,
    REGISTRY,
    Registry,
    SmsTemplateError,
    VarType,
    load,
)

SAMPLES = {
    VarType.NUMERIC: "123456",
    VarType.ALPHANUMERIC: "Ram Kumar 12",
    VarType.VAR: "LKO/AMN/2023/0123",
}


def _as_regex(registered: str) -> str:
    """The registered text with each DLT tag as "anything", the rest literal."""
    parts = re.split(r"\{#(?:numeric|alphanumeric|url|var)#\}", registered)
    return "(.+?)".join(re.escape(p) for p in parts)


@pytest.mark.parametrize("template", list(load()), ids=lambda t: t.name)
def test_every_template_renders_to_its_registered_form(template):
    values = {name: SAMPLES[kind] for name, kind in template.variables}
    text = template.render(values)
    match = re.fullmatch(_as_regex(template.registered_text), text)
    assert match, (template.registered_text, text)
    # The variables fill the tags in order, each exactly its value.
    assert list(match.groups()) == [values[name] for name in
                                    re.findall(r"\{(\w+)\}", template.text)]
    assert template.matches(text)
    assert "{" not in text and "#" not in text


def test_hindi_and_english_are_separate_templates():
    names = {t.name for t in load()}
    keys = {t.key for t in load()}
    assert names == {f"{k}.{lang}" for k in keys for lang in ("hi", "en")}
    otp_hi, otp_en = REGISTRY.get("ots_otp", "hi"), REGISTRY.get("ots_otp", "en")
    assert "ओटीपी {#numeric#}" in otp_hi.registered_text
    assert otp_en.registered_text.startswith("MVVNL RED portal: your OTP is {#numeric#}.")
    assert otp_hi.as_dict()["unicode"] and not otp_en.as_dict()["unicode"]


@pytest.mark.parametrize("value, reason", [
    ("12a456", "not numeric"),
    ("", "empty"),
    ("1" * (MAX_VARIABLE_LENGTH + 1), "more than 30"),
    ("12 456", "not numeric"),
    ("१२३४५६", "not numeric"),  # Devanagari digits are not DLT numeric
])
def test_a_mistyped_variable_is_refused(value, reason):
    with pytest.raises(SmsTemplateError, match=reason):
        REGISTRY.get("ots_otp", "en").render({"code": value})


def test_a_long_or_multiline_free_variable_is_refused():
    rejected = REGISTRY.get("ots_rejected", "hi")
    with pytest.raises(SmsTemplateError, match="more than 30"):
        rejected.render({"registration": "OTS23-AMI1-000001", "reason": "x" * 31})
    with pytest.raises(SmsTemplateError, match="not var"):
        rejected.render({"registration": "OTS23-AMI1-000001", "reason": "a\nb"})


def test_a_text_that_differs_from_the_registered_one_does_not_match():
    template = REGISTRY.get("ots_otp", "en")
    good = template.render({"code": "123456"})
    assert template.matches(good)
    assert not template.matches(good.replace("10 minutes", "15 minutes"))
    assert not template.matches(good.replace("123456", "12345X"))
    assert not template.matches(good + " ")


def test_url_and_alphanumeric_types(settings):
    settings.SMS_URL_HOSTS = ["red.mvvnl.in"]
    registry = Registry()
    registry.register("t", hi="देखें {link} — {name}", en="See {link} - {name}",
                      variables={"link": VarType.URL, "name": VarType.ALPHANUMERIC})
    template = registry.get("t", "en")
    assert template.registered_text == "See {#url#} - {#alphanumeric#}"
    assert template.render({"link": "https://red.mvvnl.in/s/1", "name": "राम कुमार"})
    with pytest.raises(SmsTemplateError, match="not registered"):
        template.render({"link": "https://evil.example/x", "name": "Ram"})
    with pytest.raises(SmsTemplateError, match="not alphanumeric"):
        template.render({"link": "https://red.mvvnl.in/s/1", "name": "Ram-Kumar"})


def test_a_slot_that_is_not_declared_is_refused_at_registration():
    with pytest.raises((SmsTemplateError, KeyError)):
        Registry().register("t", hi="{a} {b}", en="{a}", variables={"a": VarType.VAR})


def test_sms_templates_command_prints_the_registry_for_the_dlt_portal(capsys, settings):
    settings.SMS_DLT_ENTITY_ID = "1101000000000000009"
    settings.SMS_PROVIDER_SENDER = "MVVNLS"
    settings.SMS_DLT_TEMPLATE_IDS = {"ots_otp.hi": "1107000000000000001"}
    call_command("sms_templates")
    data = json.loads(capsys.readouterr().out)
    assert data["entity_id"] == "1101000000000000009" and data["sender"] == "MVVNLS"
    by_name = {t["name"]: t for t in data["templates"]}
    assert by_name["ots_otp.hi"]["dlt_template_id"] == "1107000000000000001"
    assert by_name["ots_otp.hi"]["variables"] == [
        {"name": "code", "type": "numeric", "max_length": 30}]
    assert len(by_name) == len(load()) >= 18


def test_a_process_that_never_imported_reminders_renders_them():
    """A worker that only set Django up knows every template (MessagingConfig.ready)."""
    code = (
        "import django, sys; django.setup(); "
        "from messaging.registry import render; "
        "assert 'defaulters.reminders' not in sys.modules; "
        "print(render('defaulter_reminder_next_phase', {'case_number': 'LKO/1', "
        "'phase': 1, 'ends_on': '03-01-2026', 'payable': '₹65,728', 'saving': '₹6,173'}, "
        "'en'))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "redportal.settings_test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "₹6,173 less than in the next phase" in result.stdout
