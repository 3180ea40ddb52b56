"""Templates compiled per language with their fixed translations drawn in
(redportal/template_loaders.py) draw every page exactly as Django does."""

import re

import pytest
from django.conf import settings as django_settings
from django.template import Context, Engine, engines
from django.template.base import TextNode
from django.template.loaders.cached import Loader as CachedLoader
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from redportal.template_loaders import Loader as FoldingLoader
from redportal.templatetags.fragments import forget_all
from tests.factories import TheftCaseFactory

PLAIN_LOADERS = [("django.template.loaders.cached.Loader", [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
])]
CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def engine(templates: dict) -> Engine:
    return Engine(loaders=[("redportal.template_loaders.Loader", [
        ("django.template.loaders.locmem.Loader", templates)])],
                  libraries={"i18n": "django.templatetags.i18n"})


def render(eng: Engine, template_name: str, language: str, **context) -> str:
    with translation.override(language):
        return eng.get_template(template_name).render(Context(context))


def test_fixed_translations_become_one_text_per_language():
    eng = engine({"page.html": "{% load i18n %}<h1>{% translate 'Find your case' %}</h1>"
                               "<p>{% translate 'Search' %}</p>{{ name }}"})
    assert render(eng, "page.html", "hi", name="x") == "<h1>अपना मामला खोजें</h1><p>खोजें</p>x"
    assert render(eng, "page.html", "en", name="x") == "<h1>Find your case</h1><p>Search</p>x"
    with translation.override("hi"):
        nodes = list(eng.get_template("page.html").nodelist)
    # The load tag, one text for both headings, the variable.
    assert [type(n).__name__ for n in nodes] == ["LoadNode", "TextNode", "VariableNode"]
    with translation.override("en"):
        english = eng.get_template("page.html")
    with translation.override("hi"):
        assert eng.get_template("page.html") is not english  # a copy per language


def test_translations_that_read_the_context_are_drawn_each_time():
    eng = engine({"page.html": (
        "{% load i18n %}{% translate word %}|{% translate 'Search' as label %}{{ label }}|"
        "{% blocktranslate with n=count %}Phase {{ n }}{% endblocktranslate %}|"
        "{% translate 'Search'|upper %}|{% language 'en' %}{% translate 'Search' %}"
        "{% endlanguage %}|{% autoescape off %}{% translate 'Search' %}{% endautoescape %}|"
        "{% blocktranslate %}Search{% endblocktranslate %}")})
    assert render(eng, "page.html", "hi", word="Search", count=2) == (
        "खोजें|खोजें|चरण 2|खोजें|Search|खोजें|खोजें")
    with translation.override("hi"):
        template = eng.get_template("page.html")
    kept = [n for n in template.nodelist if isinstance(n, TranslateNode)]
    assert len(kept) == 3  # the variable, "as label" and the filtered one


def test_nested_blocks_and_conditions_are_drawn_too():
    eng = engine({
        "base.html": "{% load i18n %}<title>{% block title %}{% endblock %}</title>"
                     "{% block content %}{% endblock %}",
        "child.html": "{% extends 'base.html' %}{% load i18n %}"
                      "{% block title %}{% translate 'Search' %}{% endblock %}"
                      "{% block content %}{% if on %}{% translate 'Find your case' %}"
                      "{% else %}-{% endif %}{% for i in items %}{% translate 'Search' %}"
                      "{{ i }}{% endfor %}{% endblock %}"})
    assert render(eng, "child.html", "hi", on=True, items=[1, 2]) == (
        "<title>खोजें</title>अपना मामला खोजेंखोजें1खोजें2")
    assert render(eng, "child.html", "en", on=False, items=[]) == "<title>Search</title>-"
    with translation.override("en"):
        template = eng.get_template("child.html")
    extends = template.nodelist[0]
    block = extends.blocks["title"]
    assert [type(n) for n in block.nodelist] == [TextNode]  # the block {% extends %} finds


def pages(client, case) -> dict[str, str]:
    """The public pages and a few staff ones, in Hindi and English."""
    paths = [
        ("/", {}), ("/ots/lookup/", {}), ("/ots/lookup/", {"case_number": case.case_number}),
        ("/ots/lookup/", {"case_number": "NO/SUCH/CASE"}), ("/ots/calculator/", {}),
        ("/ots/calculator/", {"assessment": "123456", "compounding_fee": "5000",
                              "deposited": "1000"}),
        ("/ots/status/", {}), ("/ots/offices/", {}), ("/ots/status/case/", {}),
        ("/ots/mobile-change/", {}), ("/no/such/page/", {}), ("/accounts/login/", {}),
    ]
    drawn = {}
    for language in ("hi", "en"):
        client.cookies["django_language"] = language
        for path, data in paths:
            text = client.get(path, data).content.decode()
            drawn[f"{language} {path} {sorted(data.items())}"] = CSRF.sub("CSRF", text)
        text = client.get("/ots/calculator/", {"assessment": "99999"},
                          HTTP_HX_REQUEST="true").content.decode()
        drawn[f"{language} calculator htmx"] = text
    return drawn


@pytest.mark.django_db
def test_every_public_page_is_drawn_byte_for_byte_as_django_draws_it(client, settings,
                                                                     org_tree, schemes):
    case = TheftCaseFactory()
    assert type(engines["django"].engine.template_loaders[0]) is FoldingLoader
    folded = pages(client, case)
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "OPTIONS": {
        **django_settings.TEMPLATES[0]["OPTIONS"], "loaders": PLAIN_LOADERS}}]
    forget_all()  # the once-per-process fragments are drawn again, by Django alone
    assert type(engines["django"].engine.template_loaders[0]) is CachedLoader
    plain = pages(client, case)
    assert folded.keys() == plain.keys()
    for key in folded:
        assert folded[key] == plain[key], key
    assert "अपना मामला खोजें" in folded["hi / []"] and "Find your case" in folded["en / []"]
