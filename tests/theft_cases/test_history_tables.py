"""The case and consumer history tables index only what is read (issue 18).

Their history user is checked by the ORM, not by a database constraint, so a
removed officer's edits stay in the history, with no author.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests.factories import TheftCaseFactory
from theft_cases.models import Consumer, TheftCase

pytestmark = pytest.mark.django_db


def test_history_of_a_removed_officer_stays_on_the_case_page(as_user, users):
    case = TheftCaseFactory(assessment_amount=Decimal("1000.00"))
    officer = get_user_model().objects.create_user("transferred_sdo", password="x")
    case.assessment_amount = Decimal("2500.00")
    case._history_user = officer
    case.save()
    case.consumer._history_user = officer
    case.consumer.save()

    officer.delete()

    latest = case.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user is None and latest.assessment_amount == Decimal("2500.00")
    assert case.consumer.history.order_by("-history_id").first().history_user is None
    client = as_user("sdo_aminabad")
    client.cookies.load({"django_language": "en"})
    page = client.get(case.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "2,500.00" in history and "transferred_sdo" not in history


@pytest.mark.postgres
@pytest.mark.parametrize("model", [TheftCase, Consumer])
def test_history_tables_index_what_is_read(model):
    if connection.vendor != "postgresql":
        pytest.skip("index names are PostgreSQL's (runs in the PostgreSQL run)")
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = sorted(tuple(c["columns"]) for c in constraints.values()
                     if c["index"] and not c["primary_key"])
    # A case's history (``id``), by date; the user for the ORM's SET_NULL.
    assert indexed == [("history_date",), ("history_user_id",), ("id",)]
    assert not [c for c in constraints.values() if c["foreign_key"]]
