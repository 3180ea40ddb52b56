"""Security headers on pages, no inline scripts, cookies flagged (DESIGN §7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.security.urlmap import walk

ROOT = Path(settings.BASE_DIR)
PUBLIC_PAGES = sorted(
    {"/" + r.route for r in walk()
     if not r.arguments and not r.route.startswith(("admin/", "staff/", "dashboard/"))
     and "logout" not in r.route}
)


def _csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_public_pages(client, schemes, settings, path):
    settings.DEBUG = False
    response = client.get(path, secure=True)
    if response.status_code in (405, 404):
        pytest.skip(f"{path} answers {response.status_code} to GET")
    csp = _csp_directives(response["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts == ["'self'"], scripts  # no 'unsafe-inline', no CDN
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin",
                                           "no-referrer")
    assert response["X-Frame-Options"] == "DENY"
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
    assert "includeSubDomains" in hsts


@pytest.mark.django_db
def test_staff_pages_are_not_cached(client, as_user):
    response = as_user("je_aminabad").get("/staff/")
    assert "no-store" in response["Cache-Control"]


def _templates():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    for directory in dirs:
        if ".venv" in directory.parts or "node_modules" in directory.parts:
            continue
        yield from directory.rglob("*.html")


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_ATTR = re.compile(r"\s on[a-z]+\s*=", re.IGNORECASE | re.VERBOSE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_templates_have_no_inline_script():
    """CSP forbids inline scripts; catch them before a browser silently drops them."""
    problems = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for match in SCRIPT_TAG.finditer(text):
            attrs = match.group(1)
            # json_script emits <script type="application/json">: data, not code.
            if "src=" not in attrs and "application/json" not in attrs:
                problems.append(f"{template.relative_to(ROOT)}: inline <script>")
        if EVENT_ATTR.search(text):
            problems.append(f"{template.relative_to(ROOT)}: on…= event handler attribute")
        if JS_URL.search(text):
            problems.append(f"{template.relative_to(ROOT)}: javascript: URL")
    assert not problems, problems


@pytest.mark.django_db
def test_session_and_csrf_cookies_secure_and_httponly(client, users, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    page = client.get("/accounts/login/", secure=True)
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {"username": "je_aminabad", "password": settings.DEMO_PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"].lower() in ("lax", "strict")
