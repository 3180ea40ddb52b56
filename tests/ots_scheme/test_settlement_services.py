"""Services of the settlement engine on the real database (DESIGN §4.2)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from core.dates import IST
from ots_scheme import services
from ots_scheme.models import Phase, RegistrationStatus
from ots_scheme.settlement import AlreadySettled, NotEligible, NotOpen, UnknownScheme
from tests.factories import RegistrationFactory, TheftCaseFactory
from theft_cases.models import CaseStatus

pytestmark = pytest.mark.django_db


def ist(*args):
    return dt.datetime(*args, tzinfo=IST)


def test_quote_for_case_matches_design_sample(org_tree, schemes):
    case = TheftCaseFactory()
    result = services.quote_for_case(case=case, scheme=schemes["OTS-THEFT-23"],
                                     on=dt.date(2025, 12, 15))
    assert result.total_payable == D("65728.00")
    assert result.registration_fee == D("12346.00")


def test_quote_for_case_refusals(org_tree, schemes):
    scheme = schemes["OTS-THEFT-23"]
    with pytest.raises(NotEligible):
        services.quote_for_case(case=TheftCaseFactory(detection_date=dt.date(2024, 1, 2)),
                                scheme=scheme, on=dt.date(2025, 12, 15))
    with pytest.raises(AlreadySettled):
        services.quote_for_case(case=TheftCaseFactory(status=CaseStatus.SETTLED),
                                scheme=scheme, on=dt.date(2025, 12, 15))
    with pytest.raises(NotOpen):
        services.quote_for_case(case=TheftCaseFactory(), scheme=scheme,
                                on=dt.date(2026, 3, 1))
    with pytest.raises(UnknownScheme):
        services.scheme_by_code("NO-SUCH")


def test_error_messages_in_both_languages(org_tree, schemes):
    try:
        services.quote_for_case(case=TheftCaseFactory(), scheme=schemes["OTS-THEFT-23"],
                                on=dt.date(2026, 3, 1))
    except NotOpen as error:
        with translation.override("en"):
            english = services.error_message(error)
        with translation.override("hi"):
            hindi = services.error_message(error)
    assert english == ("Scheme OTS-THEFT-23 is not open for registration on 01-03-2026: "
                       "it runs from 01-12-2025 to 28-02-2026.")
    assert "01-03-2026" in hindi and "योजना" in hindi


def test_apply_quote_stores_figures_and_phase(org_tree, schemes):
    registration = RegistrationFactory()
    result = services.quote_for_case(case=registration.case, scheme=registration.scheme,
                                     on=dt.date(2026, 1, 10))
    services.quote_apply(registration=registration, quote=result, on=dt.date(2026, 1, 10))
    registration.refresh_from_db()
    assert registration.phase.number == 2
    assert registration.payable_percent == D("55")
    assert registration.total_payable == D("71901.00")  # 67901 + 4000
    assert registration.quoted_on == dt.date(2026, 1, 10)
    assert registration.frozen_at is None


def test_freeze_at_ist_midnight_is_phase_two(org_tree, schemes):
    registration = RegistrationFactory(quoted_on=dt.date(2026, 1, 3))
    # 00:30 IST on 4 Jan is still 3 Jan in UTC.
    services.settlement_freeze(registration=registration, paid_at=ist(2026, 1, 4, 0, 30))
    registration.refresh_from_db()
    assert registration.phase_number == 2
    assert registration.assessment_payable == D("67901.00")
    assert registration.balance_due_date == dt.date(2026, 1, 31)
    assert registration.frozen_at is not None


def test_freeze_is_idempotent(org_tree, schemes):
    registration = RegistrationFactory(quoted_on=dt.date(2025, 12, 20))
    services.settlement_freeze(registration=registration, paid_at=ist(2025, 12, 20, 11))
    registration.refresh_from_db()
    first = (registration.frozen_at, registration.total_payable, registration.phase_number)
    history = registration.history.count()
    case = registration.case
    case.assessment_amount = D("1")
    case.save()
    services.settlement_freeze(registration=registration, paid_at=ist(2026, 2, 10, 11))
    registration.refresh_from_db()
    assert (registration.frozen_at, registration.total_payable,
            registration.phase_number) == first
    assert registration.history.count() == history


def test_late_payment_after_scheme_closed_is_not_frozen_silently(org_tree, schemes):
    # DESIGN §4.2a: money arriving when no phase is open is held for staff;
    # the freeze refuses and changes nothing (the lifecycle holds the money).
    registration = RegistrationFactory(quoted_on=dt.date(2026, 2, 28))
    with pytest.raises(NotOpen):
        services.settlement_freeze(registration=registration, paid_at=ist(2026, 3, 1, 0, 5))
    registration.refresh_from_db()
    assert registration.frozen_at is None


def test_recompute_case_touches_only_unfrozen(org_tree, schemes):
    case = TheftCaseFactory()
    open_one = RegistrationFactory(case=case, quoted_on=dt.date(2025, 12, 15))
    other_scheme = RegistrationFactory(
        case=case, scheme=schemes["DEMO-OTS-THEFT"], status=RegistrationStatus.FEE_PAID,
        quoted_on=schemes["DEMO-OTS-THEFT"].phases.get(number=1).starts_on,
    )
    services.settlement_freeze(registration=other_scheme,
                               paid_at=ist(*other_scheme.quoted_on.timetuple()[:3], 12))
    other_scheme.refresh_from_db()
    frozen_total = other_scheme.total_payable
    case.assessment_amount = D("200000")
    case.save()
    result = services.case_registrations_recompute(case_id=case.pk)
    assert result.recomputed == 1
    open_one.refresh_from_db()
    other_scheme.refresh_from_db()
    assert open_one.total_payable == D("104000.00")
    assert open_one.registration_fee == D("20000.00")
    assert other_scheme.total_payable == frozen_total
    # Run again: nothing changes, no new history.
    history = open_one.history.count()
    again = services.case_registrations_recompute(case_id=case.pk)
    assert (again.recomputed, again.unchanged) == (0, 1)
    assert open_one.history.count() == history


def test_recompute_scheme_after_phase_change(org_tree, schemes):
    scheme = schemes["OTS-THEFT-23"]
    waiting = RegistrationFactory(quoted_on=dt.date(2026, 1, 10))
    expired = RegistrationFactory(quoted_on=dt.date(2026, 1, 10),
                                  status=RegistrationStatus.EXPIRED)
    services.scheme_registrations_recompute(scheme_id=scheme.pk)
    waiting.refresh_from_db()
    assert waiting.payable_percent == D("55")
    Phase.objects.filter(scheme=scheme, number=2).update(payable_percent=D("52.5"))
    result = services.scheme_registrations_recompute(scheme_id=scheme.pk)
    assert result.recomputed == 1
    waiting.refresh_from_db()
    expired.refresh_from_db()
    assert waiting.payable_percent == D("52.5")
    assert waiting.assessment_payable == D("64814.00")  # 64814.40
    assert expired.total_payable is None


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["phase 2", "55%", "rounded to whole rupees (half up)", "= Total payable",
             "larger of ₹2,000 and 10%", "31-01-2026", "frozen at fee payment"]),
     ("hi", ["चरण 2", "55%", "आधा ऊपर", "= कुल देय", "₹2,000", "31-01-2026"])],
)
def test_explain_partial_shows_rule_and_lines(org_tree, schemes, language, words):
    from django.template.loader import render_to_string

    registration = RegistrationFactory(quoted_on=dt.date(2026, 1, 10))
    services.settlement_freeze(registration=registration, paid_at=ist(2026, 1, 10, 9))
    registration.refresh_from_db()
    with translation.override(language):
        html = render_to_string("ots_scheme/_settlement_explain.html",
                                {"registration": registration})
    for word in words:
        assert word in html, word
    for amount in ["₹1,23,456.00", "₹67,901.00", "₹55,555.00", "₹4,000.00", "₹71,901.00",
                   "₹12,346.00", "₹59,555.00"]:
        assert amount in html, amount
