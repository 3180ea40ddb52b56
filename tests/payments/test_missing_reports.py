"""Staff follow up "money taken, not shown" reports in their jurisdiction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways.sandbox import bank_decide
from payments.models import MissingPaymentReport, PaymentPurpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def unmatched_report(registration, settings):
    """A report whose reference the bank does not know yet (its callback was lost)."""
    settings.SANDBOX_CALLBACK_MODE = "drop"
    services.payment_start(registration=registration, purpose=PaymentPurpose.REGISTRATION_FEE)
    return services.missing_report_create(registration=registration,
                                          bank_reference="HDFC-NOT-YET-1")


def test_open_reports_show_to_the_sub_division_and_not_elsewhere(client, as_user,
                                                                 unmatched_report):
    page = as_user("je_aminabad").get(reverse("payments:missing_reports"))
    assert page.status_code == 200
    assert "HDFC-NOT-YET-1" in page.content.decode()
    home = client.get(reverse("staff_home")).content.decode()
    assert reverse("payments:missing_reports") in home and "1 " in home

    detail = client.get(reverse("registrations:detail",
                                args=[unmatched_report.registration.registration_number]))
    assert reverse("payments:missing_report", args=[unmatched_report.pk]) in \
        detail.content.decode()

    other = as_user("je_chowk").get(reverse("payments:missing_reports"))
    assert "HDFC-NOT-YET-1" not in other.content.decode()
    assert as_user("je_chowk").get(
        reverse("payments:missing_report", args=[unmatched_report.pk])).status_code == 404


def test_resolving_needs_a_note_and_is_recorded_with_the_officer(client, as_user, users,
                                                                 unmatched_report):
    client = as_user("sdo_aminabad")
    client.cookies["django_language"] = "en"
    url = reverse("payments:missing_resolve", args=[unmatched_report.pk])

    refused = client.post(url, {"resolution": "   "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    unmatched_report.refresh_from_db()
    assert unmatched_report.resolved_at is None

    done = client.post(url, {"resolution": "Refunded by the bank on 20-11-2026"})
    assert done.status_code == 302
    unmatched_report.refresh_from_db()
    assert unmatched_report.resolved_by == users["sdo_aminabad"]
    assert unmatched_report.resolution == "Refunded by the bank on 20-11-2026"
    assert unmatched_report.history.first().history_user == users["sdo_aminabad"]
    open_list = client.get(reverse("payments:missing_reports")).content.decode()
    assert "HDFC-NOT-YET-1" not in open_list
    resolved = client.get(reverse("payments:missing_reports"), {"state": "resolved"})
    assert "HDFC-NOT-YET-1" in resolved.content.decode()

    again = client.post(url, {"resolution": "twice"}, follow=True)
    assert "This report was already resolved." in again.content.decode()
    unmatched_report.refresh_from_db()
    assert unmatched_report.resolution == "Refunded by the bank on 20-11-2026"


def test_asking_the_bank_again_finds_and_credits_a_late_payment(as_user, registration,
                                                                settings):
    settings.SANDBOX_CALLBACK_MODE = "drop"
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    report = services.missing_report_create(registration=registration,
                                            bank_reference="SBI-LATE-7")
    assert not report.found
    # The bank completes the payment afterwards, under the reference the person gave.
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    txn.bank_reference = "SBI-LATE-7"
    txn.save(update_fields=["bank_reference"])

    response = as_user("je_aminabad").post(reverse("payments:missing_recheck", args=[report.pk]))

    assert response.status_code == 302
    report.refresh_from_db()
    registration.refresh_from_db()
    assert report.found and report.payment.gateway_reference == "SBI-LATE-7"
    assert registration.status == RegistrationStatus.FEE_PAID
    assert MissingPaymentReport.objects.count() == 1


def test_missing_report_pages_in_hindi(as_user, unmatched_report):
    client = as_user("je_aminabad")
    page = client.get(reverse("payments:missing_report", args=[unmatched_report.pk]))
    assert page.status_code == 200
    assert 'lang="hi"' in page.content.decode()
    assert "बैंक" in page.content.decode()


def test_long_lists_page_by_fifty_and_keep_the_filter(as_user, registration):
    MissingPaymentReport.objects.bulk_create([
        MissingPaymentReport(registration=registration, sub_division=registration.sub_division,
                             bank_reference=f"REF-{n:03d}") for n in range(51)])
    client = as_user("je_aminabad")
    first = client.get(reverse("payments:missing_reports"), {"state": "all"}).content.decode()
    assert first.count("REF-") == 50
    assert "?state=all&amp;page=2" in first
    second = client.get(reverse("payments:missing_reports"), {"state": "all", "page": 2})
    assert second.content.decode().count("REF-") == 1


def test_a_silent_bank_is_said_and_asked_again_later(as_user, unmatched_report, settings,
                                                     django_capture_on_commit_callbacks):
    settings.SANDBOX_STATUS_QUERY_FAILS = True
    client = as_user("je_aminabad")
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks() as queued:
        page = client.post(reverse("payments:missing_recheck", args=[unmatched_report.pk]),
                           follow=True)
    assert "The bank did not answer; it will be asked again automatically." in \
        page.content.decode()
    assert len(queued) == 1  # the status query, queued for the worker
    unmatched_report.refresh_from_db()
    assert not unmatched_report.found and unmatched_report.resolved_at is None
