"""Fixtures of the import tests."""

import pytest


@pytest.fixture(params=["thread", "child"])
def parsed_in(request, settings):
    """The import's rows parsed in a thread of this process, then in a child process.

    ``theft_cases.importing`` parses a large CSV on PostgreSQL in a child
    process; a test that asks for this fixture runs once each way.
    """
    settings.IMPORT_PARSE_IN_CHILD_BYTES = 0 if request.param == "child" else 10**12
    return request.param
