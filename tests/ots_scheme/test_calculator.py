"""The public calculator: every phase side by side, Hindi and English, htmx and plain."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def figures(html, name):
    return re.findall(rf'data-figure="{name}">([^<]*)<', html)


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_empty_calculator_in_hindi(client, schemes):
    response = client.get("/ots/calculator/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="hi"' in html
    assert "समाधान कैलकुलेटर" in html
    assert "राजस्व निर्धारण की राशि भरें" in html
    assert not figures(html, "total_payable")


def test_design_sample_in_every_phase_with_indian_grouping(client, schemes):
    html = client.get(
        "/ots/calculator/", {"assessment": "1,23,456", "compounding_fee": "4000"}
    ).content.decode()
    # The open scheme (the demo one; OTS-THEFT-23's dates are past) first, then
    # the closed one: the same rules, three phases each.
    assert figures(html, "total_payable") == ["₹65,728.00", "₹71,901.00", "₹78,074.00"] * 2
    assert figures(html, "waiver")[:3] == ["₹61,728.00", "₹55,555.00", "₹49,382.00"]
    assert figures(html, "registration_fee")[:3] == ["₹12,346.00"] * 3
    assert figures(html, "balance")[:3] == ["₹53,382.00", "₹59,555.00", "₹65,728.00"]
    assert "कुल देय राशि" in html  # "You pay in all"
    assert "डेमो" in html
    # How the total is made, in Hindi, under every phase (ots_scheme/templatetags/calculator.py).
    assert html.count("− पूर्व जमा ₹0.00 + शमन शुल्क ₹4,000.00") == 6


def test_current_phase_of_the_open_scheme_is_highlighted_with_days_left(client, schemes):
    client = english(client)
    html = client.get("/ots/calculator/", {"assessment": "1000"}).content.decode()
    demo = html[html.index('data-scheme="DEMO-OTS-THEFT"'):html.index('data-scheme="OTS-THEFT-23"')]
    real = html[html.index('data-scheme="OTS-THEFT-23"'):]
    assert "Phase 1 is open: 34 day(s) left" in demo
    assert demo.count("phase-current") == 1
    assert "phase-current" not in real
    assert "Registration for this scheme has closed" in real or "not opened yet" in real


def test_tiny_assessment_fee_capped_and_deposits(client, schemes):
    html = client.get("/ots/calculator/", {"assessment": "1000", "compounding_fee": "",
                                           "deposited": ""}).content.decode()
    assert figures(html, "registration_fee")[0] == "₹500.00"
    assert figures(html, "balance")[0] == "₹0.00"
    html = client.get("/ots/calculator/", {"assessment": "100000", "compounding_fee": "4000",
                                           "deposited": "70000"}).content.decode()
    assert figures(html, "total_payable")[0] == "₹4,000.00"


@pytest.mark.parametrize(
    ("data", "hindi", "english_text"),
    [
        ({"assessment": "abc"}, "रुपये में राशि भरें", "Enter an amount in rupees"),
        ({"assessment": "-5"}, "ऋणात्मक नहीं", "cannot be negative"),
        ({"assessment": "100.123"}, "अधिकतम दो अंक", "At most two digits after the point"),
        ({"assessment": "", "compounding_fee": "10"}, "", "This field is required"),
    ],
)
def test_bad_input_explained_in_both_languages(client, schemes, data, hindi, english_text):
    html = client.get("/ots/calculator/", data).content.decode()
    assert "alert-danger" in html
    assert hindi in html
    assert not figures(html, "total_payable")
    html = english(client).get("/ots/calculator/", data).content.decode()
    assert english_text in html


def test_htmx_request_gets_only_the_results(client, schemes):
    response = client.post("/ots/calculator/", {"assessment": "123456", "compounding_fee": "4000"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert figures(html, "total_payable")[0] == "₹65,728.00"


def test_plain_form_post_without_javascript_with_csrf(schemes):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/ots/calculator/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert 'hx-post="/ots/calculator/"' in page and 'method="post"' in page
    response = client.post("/ots/calculator/", {"csrfmiddlewaretoken": token,
                                                "assessment": "20005", "compounding_fee": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    # 10 % of 20,005 = 2,000.50 → ₹2,001 (half up).
    assert figures(html, "registration_fee")[0] == "₹2,001.00"


def test_home_page_carries_the_calculator(client, schemes):
    html = client.get("/").content.decode()
    assert 'action="/ots/calculator/"' in html
    html = client.get("/", {"assessment": "123456", "compounding_fee": "4000"}).content.decode()
    assert figures(html, "total_payable")[0] == "₹65,728.00"


def test_calculator_page_has_no_inline_script(client, schemes):
    html = client.get("/ots/calculator/", {"assessment": "1000"}).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_open_scheme_comes_first_on_the_calculator_and_the_home_page(client, schemes):
    for url in ("/ots/calculator/?assessment=1000", "/"):
        html = client.get(url).content.decode()
        assert html.index('data-scheme="DEMO-OTS-THEFT"') < html.index(
            'data-scheme="OTS-THEFT-23"'), url
