"""Interactive work on the fast queue, bulk work on the bulk queue (DESIGN §6)."""

import pytest
from django.conf import settings

from redportal.celery import app

FAST = [
    "messaging.tasks.deliver_sms", "messaging.tasks.deliver_queued_sms",
    "payments.tasks.query_payment_status", "payments.tasks.reconcile_pending_payments",
    "payments.tasks.deliver_sandbox_callback", "ots_scheme.tasks.freeze_registration_settlement",
    "redportal.ping",
]
BULK = [
    "theft_cases.tasks.validate_case_import", "theft_cases.tasks.apply_case_import",
    "theft_cases.tasks.flag_defaulters", "theft_cases.tasks.send_phase_reminders",
    "theft_cases.tasks.lapse_overdue_registrations", "ots_scheme.tasks.recompute_scheme_quotes",
    "ots_scheme.tasks.recompute_case_quotes", "dashboard.tasks.refresh_dashboard_summary",
    "payments.tasks.reconcile_days_payments", "ots_scheme.tasks.audit_ledger",
]


def _queue(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize("name", FAST)
def test_interactive_tasks_go_to_the_fast_queue(name):
    assert _queue(name) == settings.CELERY_QUEUE_FAST


@pytest.mark.parametrize("name", BULK)
def test_bulk_tasks_go_to_the_bulk_queue(name):
    assert _queue(name) == settings.CELERY_QUEUE_BULK


def test_every_registered_task_has_a_route_on_one_of_the_two_queues():
    app.loader.import_default_modules()
    names = [n for n in app.tasks if not n.startswith("celery.")]
    assert {_queue(n) for n in names} <= {settings.CELERY_QUEUE_FAST, settings.CELERY_QUEUE_BULK}
    # The test run's queues are its own (parallel runs on one Redis).
    assert settings.CELERY_QUEUE_FAST != "fast" and settings.CELERY_QUEUE_BULK != "bulk"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_test_worker_consumes_both_queues(celery_worker, org_tree):
    from defaulters.tasks import flag_defaulters
    from messaging import sms
    from messaging.models import SmsMessage, SmsStatus
    from tests.helpers import wait_for

    assert flag_defaulters.delay("2026-01-20").get(timeout=60) is not None  # bulk
    message = sms.sms_queue(mobile="9876543210", template="ots_otp",
                            variables={"code": "123456"})  # fast, after commit
    wait_for(lambda: SmsMessage.objects.get(pk=message.pk).status == SmsStatus.SENT,
             timeout=30)
