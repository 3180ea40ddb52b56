"""seed_demo is idempotent and makes what DESIGN §3 promises."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.dates import today_ist
from ots_scheme.models import Scheme
from theft_cases.models import Consumer, TheftCase


def counts():
    return {
        "users": get_user_model().objects.count(),
        "cases": TheftCase.objects.count(),
        "consumers": Consumer.objects.count(),
        "schemes": Scheme.objects.count(),
        "history": TheftCase.history.count(),
    }


@pytest.mark.django_db
def test_seed_twice_gives_same_counts():
    out = StringIO()
    call_command("seed_demo", "--cases", "120", stdout=out)
    first = counts()
    assert json.loads(out.getvalue())["cases_created"] == 120
    out = StringIO()
    call_command("seed_demo", "--cases", "120", stdout=out)
    assert json.loads(out.getvalue())["cases_created"] == 0
    assert counts() == first
    assert first["cases"] == 120 and first["users"] == 7 and first["schemes"] == 2


@pytest.mark.django_db
def test_seeded_schemes_and_cases_are_plausible():
    call_command("seed_demo", "--cases", "200", stdout=StringIO())
    real = Scheme.objects.get(code="OTS-THEFT-23")
    phases = [(p.number, str(p.starts_on), str(p.ends_on), p.payable_percent)
              for p in real.phases.order_by("number")]
    assert [(n, s, e, int(pct)) for n, s, e, pct in phases] == [
        (1, "2025-12-01", "2026-01-03", 50),
        (2, "2026-01-04", "2026-01-31", 55),
        (3, "2026-02-01", "2026-02-28", 60),
    ]
    demo = Scheme.objects.get(code="DEMO-OTS-THEFT")
    assert demo.is_demo
    assert demo.phases.get(number=1).starts_on == today_ist()
    years = set(TheftCase.objects.values_list("detection_date__year", flat=True))
    assert years == {2023}
    assert TheftCase.objects.filter(consumer__name__regex=r"[\u0900-\u097F]").exists()
    assert TheftCase.objects.filter(consumer__name__regex=r"^[A-Za-z ]+$").exists()
    assert not TheftCase.objects.filter(category="NC").exclude(consumer__account_number="")\
        .exists()
    for case in TheftCase.objects.all()[:50]:
        assert case.assessment_amount > 0
        assert (case.fed_at.date() - case.detection_date).days >= 30
        assert case.fed_at.date() <= today_ist()


@pytest.mark.django_db
def test_demo_users_can_log_in(client):
    call_command("seed_demo", "--cases", "0", stdout=StringIO())
    for username in ["director", "xen_aminabad", "sdo_aminabad", "je_aminabad", "je_chowk",
                     "itsupport", "admin"]:
        response = client.post("/accounts/login/",
                               {"username": username, "password": "redportal-demo"})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")


@pytest.mark.django_db
def test_bad_arguments_print_json_error_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("seed_demo", "--cases", "-5")
    assert exc.value.code == 2
