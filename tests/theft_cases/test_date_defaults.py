"""Staff date fields come up filled with today (IST), in either language (issue 16).

A browser's ``<input type="date">`` takes only ``YYYY-MM-DD``; the Indian
``DD-MM-YYYY`` display format left the required date empty every time.
"""

import re

import pytest

from core.dates import today_ist
from tests.defaulters.test_actions import items  # noqa: F401 - the flagged items fixture

pytestmark = pytest.mark.django_db


def date_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'type="date"' in tag
    return re.search(r'value="([^"]*)"', tag).group(1)


@pytest.mark.parametrize("language", ["hi", "en"])
def test_action_form_date_defaults_to_today_ist(items, as_user, language):  # noqa: F811
    client = as_user("je_aminabad")
    page = client.get(f"/staff/actions/{items['middle'].pk}/",
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert date_value(page, "done_on") == today_ist().isoformat()

