"""axe-core and tap targets on the pages the journey test does not pass (issue 16).

Hindi, on a 390 px phone: the public pages (home, calculator, status,
/verify/, /progress/, login) and the staff pages of an officer and the
Director. Any serious or critical axe violation fails.
"""

import datetime as dt

import pytest

from defaulters import flagging
from defaulters.models import ActionItem
from payments.receipts import CERTIFICATE, document_code
from tests.browser_axe import check_page
from tests.factories import TheftCaseFactory
from tests.payments.conftest import make_registration  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def settled(make_registration):  # noqa: F811
    from django.utils import timezone

    registration = make_registration(status="settled")
    registration.settled_at = timezone.now()
    registration.save(update_fields=["settled_at"])
    return registration


def logged_in(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def visit(page, url):
    response = page.goto(url)
    assert response.status in (200, 404), (url, response.status)
    check_page(page)


def test_public_pages_in_hindi_on_a_phone(page, live_server, settled):
    base = live_server.url
    code = document_code(registration=settled, kind=CERTIFICATE)
    for path in ("/", "/ots/calculator/", "/ots/status/", "/progress/",
                 "/accounts/login/", f"/verify/{code}/", "/verify/not-a-code/",
                 "/payments/report-missing/"):
        visit(page, base + path)
    page.goto(base + "/ots/calculator/")
    page.fill("input[name=assessment]", "1,23,456")
    page.locator("main form button[type=submit], main form button").first.click()
    page.wait_for_load_state("networkidle")
    check_page(page)
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainnav.show")
    check_page(page)


def test_public_pages_on_a_desktop_in_both_languages(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})  # the navbar laid out in full
    for path in ("/", "/ots/lookup/", "/accounts/login/"):
        visit(page, live_server.url + path)
    page.context.add_cookies([{"name": "django_language", "value": "en",
                               "url": live_server.url}])
    for path in ("/", "/ots/lookup/", "/ots/calculator/", "/ots/status/", "/progress/",
                 "/verify/not-a-code/"):
        visit(page, live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en"


def test_staff_pages_in_hindi(page, live_server, client, users, settled, schemes):
    case = TheftCaseFactory(case_number="LKO/AMN/2023 A-11",
                            fed_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC))
    flagging.flag_defaulters(today=dt.date(2026, 1, 10))
    item = ActionItem.objects.filter(case=case).first()
    base = live_server.url
    logged_in(page, live_server, client, users["je_aminabad"])
    paths = ["/staff/", "/staff/cases/", f"/staff/cases/{case.case_number}/",
             "/staff/cases/new/", "/staff/imports/", "/staff/registrations/",
             f"/staff/registrations/{settled.registration_number}/", "/staff/actions/",
             "/staff/payments/missing/"]
    if item is not None:
        paths.append(f"/staff/actions/{item.pk}/")
    for path in paths:
        visit(page, base + path)
    logged_in(page, live_server, client, users["director"])
    visit(page, base + "/dashboard/")
    visit(page, base + "/dashboard/aminabad/")
    visit(page, base + "/staff/feeding/")
    page.goto(base + "/staff/feeding/aminabad/")
    page.fill("input[name=cases_to_feed]", "25")
    page.locator("main form button.btn-danger").click()
    page.wait_for_selector("#target-history")
    check_page(page)
