"""The staff case page shows the case's action items and their history (from defaulters)."""

import datetime as dt

import pytest

from defaulters.actions import record_action
from tests.defaulters.test_actions import items  # noqa: F401 - the flagged items fixture


@pytest.mark.django_db
def test_case_page_lists_the_items_records_and_their_history(items, users, as_user):  # noqa: F811
    item = items["small"]
    record_action(item=item, kind="notice", done_on=dt.date(2026, 1, 11),
                  officer=users["je_aminabad"], remarks="served at the premises")
    client = as_user("je_aminabad")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(item.case.get_absolute_url()).content.decode()
    items_part = page[page.index("Action items"):page.index('id="history"')]
    assert "Not registered" in items_part and "served at the premises" in items_part
    history = page[page.index('id="history"'):]
    assert "Action item" in history and "flagged by the sweep" in history
    assert "action recorded: notice" in history
