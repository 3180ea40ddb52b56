"""The lookup's case card and the quote table drawn in Python (consumers/templatetags).

The tags replaced template markup; each state a person can meet is drawn here
both ways, the tag's output against the template it replaced (kept below as
it was), in Hindi and in English, byte for byte.
"""

import dataclasses
from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.utils import translation

from consumers.queries import outlook
from core.dates import today_ist
from tests.factories import ConsumerFactory, TheftCaseFactory

pytestmark = pytest.mark.django_db

# The markup the tags replaced, as it was: lookup.html's card (its include of
# the quote renamed) and consumers/_quote.html.
REPLACED = {path.stem: path.read_text(encoding="utf-8")
            for path in (Path(__file__).parent / "replaced").glob("*.html")}


def reference(source: str) -> Template:
    from django.template import engines

    engine = engines["django"].engine
    templates = Engine(dirs=engine.dirs, app_dirs=False, builtins=engine.builtins,
                       libraries=engine.libraries,
                       loaders=[("django.template.loaders.locmem.Loader",
                                 {"quote": REPLACED["quote"]}), *engine.loaders])
    return templates.from_string(source)


def drawn_both_ways(item) -> tuple[str, str]:
    context = {"item": item, "csrf_token": "t0k&n"}
    old = reference(REPLACED["case_card"]).render(Context(context))
    new = Template("{% load case_results %}{% case_result item %}").render(Context(context))
    return old, new


def states(org_tree, schemes):
    today = today_ist()
    plain = outlook(TheftCaseFactory(consumer=ConsumerFactory(
        mobile="9876501234", account_number="1234567890")), on=today)
    assert plain.can_register, plain.message
    odd = outlook(TheftCaseFactory(case_number='LKO/A&B<1>"x\'y',
                                   consumer=ConsumerFactory(mobile="", account_number="")),
                  on=today)
    demo, real = schemes["DEMO-OTS-THEFT"], schemes["OTS-THEFT-23"]
    assert demo.is_demo and not real.is_demo
    return {
        "can, mobile and account": dataclasses.replace(plain, scheme=real),
        "can, no mobile, no account, odd number": odd,
        "can, demo scheme": dataclasses.replace(plain, scheme=demo),
        "registered": dataclasses.replace(plain, can_register=False, code="already_registered",
                                          message="Already <registered> & paid", quote=None),
        "closed": dataclasses.replace(odd, can_register=False, code="not_open",
                                      message="No scheme is open", quote=None),
    }


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_card_is_the_markup_it_replaced(org_tree, schemes, language):
    for name, item in states(org_tree, schemes).items():
        with translation.override(language):
            old, new = drawn_both_ways(item)
        assert new == old, name


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_quote_table_is_the_markup_it_replaced(org_tree, schemes, language):
    item = states(org_tree, schemes)["can, mobile and account"]
    with translation.override(language):
        old = reference('{% include "quote" %}').render(Context({"quote": item.quote}))
        new = Template("{% load case_results %}{% quote_table quote %}").render(
            Context({"quote": item.quote}))
    assert new == old
    assert "₹" in new and str(item.quote.phase) in new


def test_what_a_person_sees_is_escaped_and_in_their_language(org_tree, schemes):
    drawn = states(org_tree, schemes)
    with translation.override("en"):
        _, new = drawn_both_ways(drawn["can, no mobile, no account, odd number"])
    assert "LKO/A&amp;B&lt;1&gt;&quot;x&#x27;y" in new and "<1>" not in new
    assert ">Register</button>" in new and "mobile-change-link" not in new
    with translation.override("hi"):
        _, new = drawn_both_ways(drawn["registered"])
    assert "Already &lt;registered&gt; &amp; paid" in new
    assert "/ots/status/case/?case_number=" in new and "office-contact" in new
