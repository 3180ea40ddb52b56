"""Home page in Hindi and English, Indian digit grouping, staff pages need login."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from redportal.money import format_inr, one_month_before, parse_rupees, round_rupees


@pytest.mark.django_db
def test_home_in_hindi_by_default(client, schemes):
    response = client.get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="hi"' in text
    assert "अपना मामला खोजें" in text  # "Find your case"
    assert "ओटीएस थेफ्ट-23" in text
    assert "₹2,000" in text
    assert "डेमो" in text  # the demo scheme is marked


@pytest.mark.django_db
def test_home_in_english_after_switch(client, schemes):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = client.get("/").content.decode()
    assert 'lang="en"' in text
    assert "Find your case" in text
    assert "Phase 1 is open" in text  # demo scheme opens today
    assert "demo" in text


@pytest.mark.parametrize("language", ["hi", "en"])
def test_indian_grouping_in_both_languages(language):
    template = Template("{{ amount|inr }} {{ amount|inr0 }} {{ count }} {{ big|indian }}")
    with translation.override(language):
        text = template.render(Context({"amount": Decimal("12345678"), "count": 1234567,
                                        "big": 123456789}))
    assert text == "₹1,23,45,678.00 ₹1,23,45,678 12,34,567 12,34,56,789"


def test_money_helpers():
    assert format_inr(Decimal("-123456.5")) == "-₹1,23,456.50"
    assert format_inr(Decimal("999")) == "₹999.00"
    assert round_rupees(Decimal("2000.50")) == Decimal("2001")
    assert round_rupees(Decimal("2001.50")) == Decimal("2002")
    assert parse_rupees("1,23,456.50") == Decimal("123456.50")
    assert parse_rupees(" ₹ 2,000 ") == Decimal("2000.00")
    for bad in ["abc", "", "1.234", "NaN", "Infinity"]:
        with pytest.raises(ValueError):
            parse_rupees(bad)


def test_one_calendar_month_before():
    import datetime as dt

    assert one_month_before(dt.date(2024, 3, 31)) == dt.date(2024, 2, 29)
    assert one_month_before(dt.date(2023, 3, 31)) == dt.date(2023, 2, 28)
    assert one_month_before(dt.date(2026, 1, 15)) == dt.date(2025, 12, 15)
    assert one_month_before(dt.date(2026, 5, 31)) == dt.date(2026, 4, 30)


@pytest.mark.django_db
def test_staff_home_requires_login(client, users, as_user):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_user("je_aminabad").get("/staff/").status_code == 200


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
