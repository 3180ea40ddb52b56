"""What made the public pages cheap enough for the last day of a phase stays right.

The schemes are kept per process (ots_scheme/catalogue.py), the short public
forms are drawn by a tag instead of crispy, and the lookup finds a case
number through an index whatever its letter case. Each is checked here by
what a person would see.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import today_ist
from ots_scheme.models import Phase, Scheme
from tests.factories import ConsumerFactory, TheftCaseFactory

pytestmark = pytest.mark.django_db


def scheme_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "ots_scheme_scheme" in q["sql"]
            or "ots_scheme_phase" in q["sql"]]


def test_home_reads_schemes_once_then_from_the_process_copy(client, org_tree, schemes):
    with CaptureQueriesContext(connection) as first:
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = client.get("/")
    assert scheme_queries(first.captured_queries)
    assert scheme_queries(second.captured_queries) == []
    assert "DEMO" in page.content.decode() or "डेमो" in page.content.decode()


def test_a_phase_edited_in_this_process_shows_at_once(client, org_tree, schemes):
    client.cookies["django_language"] = "en"
    client.get("/")  # the copy is loaded
    phase = Phase.objects.get(scheme__code="DEMO-OTS-THEFT", number=1)
    phase.payable_percent = D("41.25")
    phase.save()
    assert "Pay 41.25% of the assessment" in client.get("/").content.decode()


def test_a_new_scheme_saved_here_is_offered_by_the_calculator(client, org_tree, schemes):
    client.get(reverse("ots_scheme:calculator"))
    Scheme.objects.filter(code="DEMO-OTS-THEFT").update(is_active=False)  # no signal
    today = today_ist()
    new = Scheme.objects.create(code="OTS-NEW", name_en="New scheme", name_hi="नई योजना",
                                eligible_from=dt.date(2023, 1, 1),
                                eligible_to=dt.date(2023, 12, 31))
    Phase.objects.create(scheme=new, number=1, starts_on=today, ends_on=today,
                         payable_percent=D("60"))
    page = client.get(reverse("ots_scheme:calculator"),
                      {"assessment": "100000", "compounding_fee": "0", "deposited": "0"})
    text = page.content.decode()
    assert 'data-scheme="OTS-NEW"' in text
    assert 'data-scheme="DEMO-OTS-THEFT"' not in text  # the create re-read every row


def test_a_change_made_by_another_process_shows_within_the_ttl(client, org_tree, schemes,
                                                               settings):
    """update() sends no signal, as a save in another gunicorn worker would not."""
    client.cookies["django_language"] = "en"
    client.get("/")
    Phase.objects.filter(scheme__code="DEMO-OTS-THEFT", number=1).update(
        payable_percent=D("42.75"))
    assert "Pay 42.75% of the assessment" not in client.get("/").content.decode()
    settings.SCHEME_CATALOGUE_SECONDS = 0  # the TTL has run out
    assert "Pay 42.75% of the assessment" in client.get("/").content.decode()


def test_lookup_with_a_bad_account_number_keeps_values_and_marks_the_field(client, org_tree,
                                                                          schemes):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("consumers:lookup"), {"account_number": "12ab"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "An account number has 10 to 12 digits." in text
    assert 'name="account_number"' in text and 'value="12ab"' in text
    assert 'aria-invalid="true"' in text and "is-invalid" in text
    assert 'aria-describedby="id_account_number_error"' in text
    assert 'maxlength="12"' in text


def test_lookup_with_nothing_entered_says_what_to_enter_in_hindi(client, org_tree, schemes):
    page = client.get(reverse("consumers:lookup"), {"case_number": " "})
    text = page.content.decode()
    assert 'class="alert alert-danger"' in text
    assert "अपनी मामला संख्या (नोटिस से) या खाता संख्या दर्ज करें।" in text


def test_lookup_escapes_what_was_typed(client, org_tree, schemes):
    page = client.get(reverse("consumers:lookup"), {"case_number": '"><script>x</script>'})
    text = page.content.decode()
    assert "<script>x</script>" not in text
    assert "&lt;script&gt;" in text


def test_otp_page_keeps_its_one_time_code_hints(client, org_tree, schemes):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9876501234"))
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    text = client.get(reverse("consumers:otp_verify")).content.decode()
    assert 'autocomplete="one-time-code"' in text and 'inputmode="numeric"' in text
    assert 'name="code"' in text and "required" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL")
def test_lookup_by_case_number_uses_an_index_not_a_scan(org_tree):
    from consumers.queries import find_cases
    from theft_cases.models import TheftCase

    queryset = TheftCase.objects.filter(case_number__iexact="lko/amn/2023 0001")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "theftcase_case_number_upper" in plan, plan
    assert find_cases(case_number="nothing-like-this") == []


def unit_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "organization_orgunit" in q["sql"]]


def test_the_lookup_shows_the_office_from_the_process_copy_of_the_units(client, org_tree,
                                                                        schemes):
    case = TheftCaseFactory(sub_division=org_tree["aminabad-1"])
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("consumers:lookup"), {"case_number": case.case_number})
    with CaptureQueriesContext(connection) as second:
        page = client.get(reverse("consumers:lookup"), {"case_number": case.case_number})
    assert unit_queries(first.captured_queries)
    assert unit_queries(second.captured_queries) == []
    assert org_tree["aminabad-1"].name_en in page.content.decode()


def test_an_office_edited_here_or_elsewhere_shows_on_the_next_lookup(client, org_tree,
                                                                     schemes, settings):
    from organization.models import OrgUnit

    case = TheftCaseFactory(sub_division=org_tree["aminabad-1"])
    client.cookies["django_language"] = "en"
    lookup = {"case_number": case.case_number}
    client.get(reverse("consumers:lookup"), lookup)  # the copy is loaded
    unit = OrgUnit.objects.get(code="aminabad-1")
    unit.name_en = "Aminabad First (moved)"
    unit.save()  # this process: forgotten at once
    assert "Aminabad First (moved)" in client.get(reverse("consumers:lookup"), lookup
                                                  ).content.decode()
    # Another process's save sends no signal here: seen once the TTL has run out.
    OrgUnit.objects.filter(code="aminabad-1").update(name_en="Aminabad One (again)")
    assert "Aminabad One (again)" not in client.get(reverse("consumers:lookup"), lookup
                                                    ).content.decode()
    settings.ORG_CATALOGUE_SECONDS = 0
    assert "Aminabad One (again)" in client.get(reverse("consumers:lookup"), lookup
                                                ).content.decode()
