"""Templates compiled once per language, with their fixed translations drawn in.

A ``{% translate "Find your case" %}`` is looked up in the catalogue on
every render: about 6 µs each, and a public page has 20 to 40 of them (the
calculator draws its six phase cards with five labels each). What such a
tag shows depends only on the language, so this loader — Django's cached
loader, keyed also by the active language — compiles a template once for
each language and replaces every translation that reads nothing from the
context by the text it draws, then joins neighbouring texts into one node
(issue 18). The pages are byte for byte what Django draws
(``tests/core/test_template_folding.py`` renders every public page both
ways in Hindi and English).

Left as they are, drawn on each render as before: a translation of a
variable, with a filter, a context (``context "…"``), ``as name``, or a
``blocktranslate`` with ``with``, ``count`` or a variable in its text; and
everything inside ``{% autoescape %}``, whose escaping differs.
"""

from __future__ import annotations

import threading

from django.template import Context, Variable
from django.template.base import NodeList, TextNode, TokenType
from django.template.defaulttags import AutoEscapeControlNode, IfNode
from django.template.loaders import cached
from django.templatetags.i18n import BlockTranslateNode, LanguageNode, TranslateNode
from django.utils.translation import get_language

_lock = threading.Lock()


def _fixed_translation(node) -> bool:
    """True when ``node`` draws the same text whatever the context holds."""
    if isinstance(node, TranslateNode):
        expression = node.filter_expression
        return (node.asvar is None and node.message_context is None
                and not expression.filters and isinstance(expression.var, Variable)
                and expression.var.literal is not None)
    if isinstance(node, BlockTranslateNode):
        return (node.asvar is None and node.message_context is None
                and node.countervar is None and not node.extra_context
                and not node.plural
                and all(token.token_type == TokenType.TEXT for token in node.singular))
    return False


def _text(text: str, first) -> TextNode:
    node = TextNode(text)
    # Kept for Django's error pages, which name the template and line.
    node.origin, node.token = getattr(first, "origin", None), getattr(first, "token", None)
    return node


def _folded(nodelist, context: Context) -> NodeList:
    """Return a new NodeList: fixed translations drawn, neighbouring texts joined.

    Nodes other than texts and fixed translations are kept (``{% block %}``
    nodes in particular, which ``{% extends %}`` finds by identity); their
    own lists are replaced, never changed in place, so a thread rendering
    the template meanwhile walks the old lists whole.
    """
    out, texts, first = NodeList(), [], None
    for node in nodelist:
        if isinstance(node, TextNode) or _fixed_translation(node):
            texts.append(node.s if isinstance(node, TextNode) else str(node.render(context)))
            first = first or node
            continue
        if texts:
            out.append(_text("".join(texts), first))
            texts, first = [], None
        _fold_children(node, context)
        out.append(node)
    if texts:
        out.append(_text("".join(texts), first))
    return out


def _fold_children(node, context: Context) -> None:
    # Inside these the text drawn differs: another language, other escaping.
    if isinstance(node, AutoEscapeControlNode | LanguageNode):
        return
    if isinstance(node, IfNode):
        node.conditions_nodelists = [(condition, _folded(nodelist, context))
                                     for condition, nodelist in node.conditions_nodelists]
        return
    for name in node.child_nodelists:
        # Only lists the node holds itself: some tags expose theirs as properties.
        nodelist = vars(node).get(name)
        if isinstance(nodelist, NodeList):
            setattr(node, name, _folded(nodelist, context))


class _DrawnNodeList(NodeList):
    """A loaded template's own list, never changed once drawn.

    ``{% extends %}`` asks its parent for all its blocks on every render,
    walking the whole page each time; the answer is kept here instead.
    """

    def get_nodes_by_type(self, nodetype):
        found = self.__dict__.setdefault("_by_type", {})
        if nodetype not in found:
            found[nodetype] = super().get_nodes_by_type(nodetype)
        return list(found[nodetype])


class Loader(cached.Loader):
    """Django's cached loader, one compiled copy per language, fixed translations drawn."""

    def cache_key(self, template_name, skip=None):
        return f"{get_language() or ''}:{super().cache_key(template_name, skip)}"

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "translations_drawn", False):
            with _lock:
                if not getattr(template, "translations_drawn", False):
                    context = Context(autoescape=self.engine.autoescape)
                    with context.bind_template(template):
                        template.nodelist = _DrawnNodeList(_folded(template.nodelist,
                                                                   context))
                    template.translations_drawn = True
        return template
