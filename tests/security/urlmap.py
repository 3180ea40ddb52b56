"""Walk the URL resolver so security tests cover every pattern present.

Nothing here lists staff URLs by hand: a page added tomorrow is covered by
the same tests the day it lands (DESIGN §7, "rules enforced by a test").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

STAFF_PREFIXES = ("staff/", "dashboard/")


@dataclass(frozen=True)
class Route:
    """One URL pattern with its full route text and converters."""

    route: str  # e.g. "staff/cases/<path:case_number>/"
    name: str  # "namespace:name", or "" when the pattern is unnamed
    arguments: dict[str, str]  # argument name -> converter name ("str", "path", …)
    callback: object

    @property
    def is_staff(self) -> bool:
        return self.route.startswith(STAFF_PREFIXES)

    def url(self, values: dict[str, str]) -> str:
        """Return the path with each ``<conv:arg>`` replaced by ``values[arg]``."""

        def fill(match: re.Match) -> str:
            return str(values[match.group("arg")])

        return "/" + _ARGUMENT.sub(fill, self.route)


_ARGUMENT = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<arg>\w+)>")


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    # A regex pattern (re_path) reads as a regex; keep its literal form.
    return text.lstrip("^").rstrip("$")


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Yield a :class:`Route` for every pattern reachable from the root URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = prefix + _route_text(entry)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, text, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            arguments = {
                m.group("arg"): m.group("conv") or "str" for m in _ARGUMENT.finditer(text)
            }
            yield Route(route=text, name=name, arguments=arguments, callback=entry.callback)


def staff_routes() -> list[Route]:
    return [r for r in walk() if r.is_staff]
