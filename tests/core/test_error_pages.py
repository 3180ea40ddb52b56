"""The project's error pages speak the person's language with DEBUG off, and
every page has a favicon (issue 16)."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied, server_error

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def test_404_in_hindi_and_english(client, org_tree):
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "पृष्ठ नहीं मिला" in text and 'lang="hi"' in text
    assert "/ots/lookup/" in text and "/ots/offices/" in text
    page = english(client).get("/no/such/page/")
    assert page.status_code == 404 and "Page not found" in page.content.decode()


def test_403_in_hindi_and_english(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    for language, words in (("hi", "अनुमति नहीं"), ("en", "Not allowed")):
        with translation.override(language):
            request = rf.get("/x/")
            request.user = AnonymousUser()
            response = permission_denied(request, PermissionDenied())
            assert response.status_code == 403
            assert words in response.content.decode()


def test_500_speaks_both_languages_without_a_context(rf):
    response = server_error(rf.get("/x/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "कुछ गलत हो गया" in text and "Something went wrong" in text


def test_csrf_refusal_in_hindi_and_english(org_tree):
    client = Client(enforce_csrf_checks=True)
    page = client.post("/ots/status/", {"registration_number": "X"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "पृष्ठ की अवधि समाप्त हो गई थी" in text
    assert "CSRF verification failed" not in text  # nothing for developers
    page = english(client).post("/ots/status/", {"registration_number": "X"})
    assert page.status_code == 403 and "The page had expired" in page.content.decode()


def test_favicon_answers_and_every_page_links_it(client, org_tree, schemes):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").content.decode()


def test_the_case_list_pager_is_in_hindi(client, org_tree, as_user):
    from tests.factories import TheftCaseFactory

    TheftCaseFactory.create_batch(60)
    as_user("director")
    page = client.get("/staff/cases/").content.decode()
    assert "अगला" in page and ">next<" not in page.replace(" ", "").replace("\n", "")
