"""The feeding pages in a real browser: htmx pre-fill and the import preview."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from theft_cases.models import TheftCase

from .importfiles import csv_bytes, good_row

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("needs the system Chromium at /usr/bin/chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), "--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone, in English (the Hindi pages are checked by the view tests)."""
    return {**browser_context_args, "viewport": {"width": 390, "height": 844},
            "is_mobile": True, "has_touch": True, "locale": "en-IN"}


@pytest.fixture
def staff_page(page, live_server, client, users):
    client.force_login(users["sdo_aminabad"])
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value,
         "url": live_server.url},
        {"name": "django_language", "value": "en", "url": live_server.url},
    ])
    return page


def test_compounding_fee_prefilled_and_case_fed(staff_page, live_server, tmp_path):
    page = staff_page
    page.goto(f"{live_server.url}/staff/cases/new/")
    page.fill("#id_case_number", "LKO/AMN/2023 B-77")
    page.fill("#id_detection_date", "2023-05-10")
    page.select_option("#id_sub_division", label="Aminabad I Sub-division")
    page.fill("#id_name", "Pooja Rawat")
    page.fill("#id_address", "Naka Hindola, Lucknow")
    page.select_option("#id_category", "LMV-2")
    page.fill("#id_load_kw", "2.5")
    page.press("#id_load_kw", "Tab")
    # expect() polls without eval (the CSP forbids evaluating strings).
    expect(page.locator("#id_compounding_fee")).to_have_value("30000.00")
    assert "Section 152" in page.inner_text("#compounding-hint")
    page.fill("#id_assessment_amount", "1,00,000")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/staff/cases/LKO/AMN/2023%20B-77/")
    case = TheftCase.objects.get(case_number="LKO/AMN/2023 B-77")
    assert str(case.compounding_fee) == "30000.00"

    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, mobile="1")]))
    page.goto(f"{live_server.url}/staff/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Upload and check')")
    page.wait_for_selector("#count-rejected")
    assert page.inner_text("#count-created") == "1"
    assert "mobile must be 10 digits" in page.inner_text("#rejected-rows")
    page.click("button:has-text('Confirm and apply')")
    page.wait_for_selector("text=Applied on")
    assert TheftCase.objects.filter(case_number="LKO/AMN/2023/0001").exists()
