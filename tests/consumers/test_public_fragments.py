"""Cached fragments of the public pages never show an old scheme or the wrong language.

The scheme cards of the home page, the calculator's headings and the page
chrome are drawn once per process (CACHES["fragments"]), keyed by the scheme
catalogue's version (ots_scheme/catalogue.py), the language and the day.
"""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from core.dates import IST
from ots_scheme.models import Phase, Scheme

pytestmark = pytest.mark.django_db

AMOUNTS = {"assessment": "100000", "compounding_fee": "5000", "deposited": "0"}


def page(client, path, language, data=None, **headers):
    client.cookies["django_language"] = language
    return client.get(path, data or {}, **headers).content.decode()


def test_a_phase_saved_shows_on_the_next_home_page_and_calculator(client, org_tree, schemes):
    assert "Pay 41.25% of the assessment" not in page(client, "/", "en")
    page(client, reverse("ots_scheme:calculator"), "en", AMOUNTS, HTTP_HX_REQUEST="true")
    phase = Phase.objects.get(scheme__code="DEMO-OTS-THEFT", number=1)
    phase.payable_percent = D("41.25")
    phase.save()
    assert "Pay 41.25% of the assessment" in page(client, "/", "en")
    results = page(client, reverse("ots_scheme:calculator"), "en", AMOUNTS,
                   HTTP_HX_REQUEST="true")
    assert "41.25% of the assessment" in results


def test_a_renamed_scheme_shows_in_both_languages_at_once(client, org_tree, schemes):
    page(client, "/", "hi")
    page(client, "/", "en")
    scheme = Scheme.objects.get(code="DEMO-OTS-THEFT")
    scheme.name_en, scheme.name_hi = "Renamed demo scheme", "नया नाम डेमो योजना"
    scheme.save()
    english, hindi = page(client, "/", "en"), page(client, "/", "hi")
    assert "Renamed demo scheme" in english and "नया नाम डेमो योजना" not in english
    assert "नया नाम डेमो योजना" in hindi and "Renamed demo scheme" not in hindi


def test_another_process_change_shows_once_the_copy_is_read_again(client, org_tree, schemes,
                                                                  settings):
    """update() sends no signal, as a save in another gunicorn worker would not."""
    page(client, "/", "en")
    Phase.objects.filter(scheme__code="DEMO-OTS-THEFT", number=1).update(
        payable_percent=D("42.75"))
    settings.SCHEME_CATALOGUE_SECONDS = 0  # the TTL has run out
    assert "Pay 42.75% of the assessment" in page(client, "/", "en")
    results = page(client, reverse("ots_scheme:calculator"), "en", AMOUNTS,
                   HTTP_HX_REQUEST="true")
    assert "42.75% of the assessment" in results


def test_hindi_and_english_fragments_never_bleed_into_each_other(client, org_tree, schemes):
    for _ in range(2):  # the second round is served from the fragments
        hindi = page(client, "/", "hi")
        english = page(client, "/", "en")
        hindi_results = page(client, reverse("ots_scheme:calculator"), "hi", AMOUNTS,
                             HTTP_HX_REQUEST="true")
        english_results = page(client, reverse("ots_scheme:calculator"), "en", AMOUNTS,
                               HTTP_HX_REQUEST="true")
        assert 'lang="hi"' in hindi and "अपना मामला खोजें" in hindi
        assert "Find your case" not in hindi.split("<main")[0].split("<nav")[1]
        assert 'lang="en"' in english and "Find your case" in english
        assert "अपना मामला खोजें" not in english.split("<main")[0].split("<nav")[1]
        assert "Phase 1" in english_results and "Phase 1" not in hindi_results
        assert "चरण 1" in hindi_results and "चरण 1" not in english_results


def test_the_days_left_follow_the_day_not_the_cached_fragment(client, org_tree, schemes):
    demo = Scheme.objects.get(code="DEMO-OTS-THEFT")
    first = demo.phases.order_by("number").first()
    day = dt.datetime.combine(first.starts_on, dt.time(12, 0), tzinfo=IST)
    days = (first.ends_on - first.starts_on).days + 1
    with time_machine.travel(day, tick=False):
        assert f"{days} day(s) left" in page(client, "/", "en")
    with time_machine.travel(day + dt.timedelta(days=1), tick=False):
        assert f"{days - 1} day(s) left" in page(client, "/", "en")


def test_no_csrf_token_or_session_is_kept_in_a_fragment(client, org_tree, schemes):
    first = page(client, "/", "en")
    other = client.__class__()
    other.cookies["django_language"] = "en"
    second = other.get("/").content.decode()
    token = first.split('"X-CSRFToken": "')[1].split('"')[0]
    assert token not in second
    assert 'name="csrfmiddlewaretoken"' in second
