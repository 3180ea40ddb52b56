"""``{% fragment name key… %}…{% endfragment %}``: a part of a page drawn once per process.

The public pages repeat, for every person, markup that depends only on the
scheme rows, the language and the day — the home page's scheme cards, the
calculator's headings, the page chrome with its static file URLs: about a
third of a page's rendering on the last day of a phase (issue 18). Such a
part is kept here, in this process's memory, under its name and the values
it is drawn from, and drawn again when any of them changes; nothing leaves
the process, so there is no Redis round trip and no stale copy elsewhere.

Every value the part reads must be in its key: the scheme catalogue's
``version`` (ots_scheme/catalogue.py) for scheme rows, ``LANGUAGE_CODE``,
the day. Never wrap anything of the visitor's (a CSRF token, the session, a
case, a form): it would be shown to the next person.
"""

from __future__ import annotations

from django import template
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe

from common.markup import forget_kept, kept

register = template.Library()

# The store is common.markup's, shared with the tags that write their parts
# in Python (the calculator's phase cards).
forget_all = forget_kept


class FragmentNode(template.Node):
    """The part is kept as ``body``, not ``nodelist``: a page that extends
    base.html has Django walk every node of base.html on every render to
    find its ``{% block %}``s (``ExtendsNode.render``), and the walk follows
    only ``child_nodelists`` ("nodelist"), so it skips what is drawn once
    anyway. Hence no ``{% block %}`` inside a fragment (refused when parsed).
    """

    def __init__(self, name: str, body, keys):
        self.name, self.body, self.keys = name, body, keys

    def render(self, context):
        key = (self.name, *(str(k.resolve(context)) for k in self.keys))
        text = kept(key, lambda: self.body.render(context))
        return mark_safe(text)  # noqa: S308 - the template's own escaped output


@register.tag("fragment")
def do_fragment(parser, token):
    """Parse ``{% fragment name key1 key2 … %}`` up to ``{% endfragment %}``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name, then its keys")
    body = parser.parse(("endfragment",))
    parser.delete_first_token()
    if body.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(f"fragment {bits[1]!r} holds a {{% block %}}: "
                                           "put the fragment inside the block instead")
    return FragmentNode(bits[1], body, [parser.compile_filter(b) for b in bits[2:]])
