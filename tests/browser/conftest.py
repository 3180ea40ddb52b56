"""Playwright on the system Chromium (never a downloaded browser)."""

from pathlib import Path

import pytest

from tests.messaging.conftest import msg91  # noqa: F401 - a fixture
from tests.razorpay_fake import fake_razorpay  # noqa: F401 - a fixture

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Merge, never replace: a fresh dict would drop the CLI flags
    # (microsoft/playwright-pytest#76).
    if not CHROMIUM.exists():
        pytest.skip("the browser journey needs the system Chromium at /usr/bin/chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            *browser_type_launch_args.get("args", []),
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone, in Hindi."""
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "locale": "hi-IN",
        "accept_downloads": True,
    }
