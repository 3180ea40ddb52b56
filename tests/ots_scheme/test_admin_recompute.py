"""Changing a scheme's phases in the admin re-quotes unfrozen registrations only."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from core.dates import IST
from ots_scheme import services
from ots_scheme.models import RegistrationStatus
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def change_form_data(client, scheme):
    """Return the admin change form's current values, as the browser would post them."""
    html = client.get(f"/admin/ots_scheme/scheme/{scheme.pk}/change/").content.decode()
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            else:
                data.pop(name.group(1), None)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_phase_change_in_admin_then_confirm_recomputes_unfrozen_only(
    client, users, schemes, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])
    scheme = schemes["OTS-THEFT-23"]
    waiting = RegistrationFactory(quoted_on=dt.date(2026, 1, 10))
    paid = RegistrationFactory(quoted_on=dt.date(2026, 1, 10), status=RegistrationStatus.FEE_PAID)
    for registration in (waiting, paid):
        services.quote_apply(
            registration=registration,
            quote=services.quote_for_case(case=registration.case, scheme=scheme,
                                          on=dt.date(2026, 1, 10)),
        )
    services.settlement_freeze(registration=paid,
                               paid_at=dt.datetime(2026, 1, 10, 12, tzinfo=IST))

    data = change_form_data(client, scheme)
    index = next(k.split("-")[1] for k, v in data.items()
                 if k.startswith("phases-") and k.endswith("-number") and v == "2")
    data[f"phases-{index}-payable_percent"] = "52.50"
    response = client.post(f"/admin/ots_scheme/scheme/{scheme.pk}/change/", data, follow=True)
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert not errors, errors
    assert response.status_code == 200
    page = response.content.decode()
    assert "/recompute/" in page  # the offer to re-compute, with a link
    # Saving alone re-quotes nothing.
    waiting.refresh_from_db()
    assert waiting.payable_percent == D("55")

    confirm = client.get(f"/admin/ots_scheme/scheme/{scheme.pk}/recompute/")
    assert confirm.status_code == 200
    assert "52.50%" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/admin/ots_scheme/scheme/{scheme.pk}/recompute/")
    assert done.status_code == 302

    waiting.refresh_from_db()
    paid.refresh_from_db()
    assert waiting.payable_percent == D("52.5")
    assert waiting.assessment_payable == D("64814.00")
    assert waiting.total_payable == D("68814.00")
    assert paid.payable_percent == D("55")
    assert paid.total_payable == D("71901.00")


def test_recompute_page_needs_admin_rights(client, users, schemes):
    client.force_login(users["je_aminabad"])
    scheme = schemes["OTS-THEFT-23"]
    response = client.post(f"/admin/ots_scheme/scheme/{scheme.pk}/recompute/")
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "/admin/login/")
