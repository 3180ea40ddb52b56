"""Notice of demand PDFs in Hindi, one case and a sub-division's batch (DESIGN §4.4)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.dates import IST
from defaulters import flagging, notices
from tests.factories import TheftCaseFactory

FED = dt.datetime(2025, 11, 1, 12, tzinfo=IST)


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def flagged(org_tree, schemes):
    cases = [
        TheftCaseFactory(fed_at=FED, case_number="LKO/AMN/2023/0123",
                         assessment_amount=Decimal("123456"), compounding_fee=Decimal("4000")),
        TheftCaseFactory(fed_at=FED, assessment_amount=Decimal("5000")),
        TheftCaseFactory(fed_at=FED, sub_division=org_tree["victoria"]),
    ]
    flagging.flag_defaulters(today=dt.date(2026, 1, 10))
    return cases


@pytest.mark.django_db
def test_notice_states_the_dues_and_the_offer(flagged):
    case = flagged[0]
    # On 20 Dec 2025 phase 1 (50 %) of OTS-THEFT-23 is open until 3 Jan 2026.
    pages, text = pdf_text(notices.notice_pdf(case, today=dt.date(2025, 12, 20)))
    assert pages == 1
    assert "LKO/AMN/2023/0123" in text
    assert case.consumer.account_number in text
    assert "1958" in text
    assert "₹1,23,456.00" in text and "₹4,000.00" in text  # assessment, compounding fee
    assert "₹1,27,456.00" in text  # the dues in full
    assert "₹65,728.00" in text and "03-01-2026" in text  # the offer and its deadline
    assert "अमीनाबाद" in text or "Aminabad" in text or case.sub_division.name_hi in text


@pytest.mark.django_db
def test_no_offer_once_the_scheme_has_closed(flagged):
    _pages, text = pdf_text(notices.notice_pdf(flagged[0], today=dt.date(2026, 11, 1)))
    assert "₹65,728.00" not in text and "₹1,27,456.00" in text


@pytest.mark.django_db
def test_notice_and_batch_views_are_scoped(flagged, as_user, org_tree):
    from defaulters.models import ActionItem

    client = as_user("je_aminabad")
    item = ActionItem.objects.get(case=flagged[0])
    response = client.get(f"/staff/actions/{item.pk}/notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "LKO/AMN/2023/0123" in pdf_text(response.content)[1]
    batch = client.get(f"/staff/actions/notices.pdf?sub_division={org_tree['aminabad-1'].pk}")
    pages, text = pdf_text(batch.content)
    assert pages == 2  # the two flagged Aminabad I cases, not Victoria's
    assert text.index("LKO/AMN/2023/0123") < text.index(flagged[1].case_number)
    assert flagged[2].case_number not in text
    assert client.get(
        f"/staff/actions/notices.pdf?sub_division={org_tree['victoria'].pk}"
    ).status_code == 404
    assert client.get("/staff/actions/notices.pdf?sub_division=x").status_code == 404


def test_the_notice_names_the_office_without_doubled_words(org_tree):
    from tests.factories import TheftCaseFactory

    office = notices._office(TheftCaseFactory(sub_division=org_tree["aminabad-1"]))
    assert office == ("उपखण्ड अधिकारी, विद्युत वितरण उपखण्ड अमीनाबाद प्रथम, "
                      "विद्युत वितरण खण्ड अमीनाबाद")
