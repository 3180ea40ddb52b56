"""bench_generate: synthetic data that is internally consistent (small N)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from defaulters.models import ActionItem
from ots_scheme.models import Registration
from ots_scheme.services import phase_rule, rules_for
from ots_scheme.settlement import quote_in_phase
from payments.audit import audit_ledger
from payments.models import Payment
from theft_cases.models import TheftCase


def run(*args) -> dict:
    out = StringIO()
    call_command("bench_generate", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_generates_consistent_cases_registrations_and_payments():
    result = run("--cases", "300", "--registrations", "60", "--seed", "7")
    assert result["cases"] == 300 and result["registrations"] == 60
    assert TheftCase.objects.count() == 300
    # Every sub-division of the tree gets cases at this size? At least most do.
    assert TheftCase.objects.values("sub_division").distinct().count() >= 20
    # Fed at least 35 days after detection (older than a calendar month).
    for case in TheftCase.objects.all()[:50]:
        assert (case.fed_at.date() - case.detection_date).days >= 34
        if case.category == "NC":
            assert case.consumer.account_number == ""
    frozen = Registration.objects.exclude(status="submitted")
    for reg in frozen.select_related("scheme", "phase", "case"):
        # The bench's writers (Python here, SQL on PostgreSQL) agree with the
        # settlement engine on every figure of the case's quote.
        engine = quote_in_phase(rules_for(reg.scheme), phase_rule(reg.phase),
                                assessment=reg.case.assessment_amount,
                                compounding_fee=reg.case.compounding_fee,
                                deposited=reg.case.deposited_amount)
        assert (reg.assessment, reg.assessment_payable, reg.waiver, reg.compounding_fee,
                reg.deposited, reg.total_payable, reg.registration_fee) == (
            engine.assessment, engine.assessment_payable, engine.waiver,
            engine.compounding_fee, engine.deposited, engine.total_payable,
            engine.registration_fee)
        # DESIGN §4.2a: balance due = total − credited (0 once settled).
        expected = 0 if reg.status == "settled" else reg.total_payable - reg.credited
        assert reg.balance == expected
        assert reg.fee_paid_at is not None
    assert not Registration.objects.filter(status="submitted", frozen_at__isnull=False).exists()
    fees = Payment.objects.filter(purpose="registration_fee", status="success")
    assert fees.count() == frozen.count()
    assert fees.aggregate(s=Sum("amount"))["s"] == frozen.aggregate(
        s=Sum("registration_fee"))["s"]
    settled = Registration.objects.filter(status="settled",
                                          total_payable__gt=F("registration_fee"))
    assert Payment.objects.filter(purpose="balance").count() == settled.count()
    # Case statuses follow their registrations; flagged cases have one open item.
    assert set(
        Registration.objects.filter(status="settled").values_list("case__status", flat=True)
    ) <= {"settled"}
    flagged = TheftCase.objects.filter(status__in=["flagged", "action_taken"])
    assert ActionItem.objects.count() == flagged.count() > 0
    assert not ActionItem.objects.values("case").annotate(n=Count("id")).filter(n__gt=1)
    # The generated money passes every invariant of the ledger audit.
    audit = audit_ledger()
    assert audit.counts == {}, audit.violations
    # A second run appends after the first.
    again = run("--cases", "10", "--registrations", "0")
    assert again["first_case_number"] == "BG/0000301"
    assert TheftCase.objects.count() == 310


@pytest.mark.django_db
def test_bad_input_is_an_error_and_changes_nothing(capsys):
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("bench_generate", "--cases", "5", "--registrations", "9", stdout=out)
    assert exit_info.value.code == 2
    assert "error" in json.loads(out.getvalue())
    assert TheftCase.objects.count() == 0
