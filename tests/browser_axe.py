"""axe-core in the browser tests: fail on any serious or critical violation.

axe-core comes from npm (``node_modules/axe-core``, pinned in package.json),
never a CDN. It is evaluated through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the portal's CSP stays as it is.

    from tests.browser_axe import assert_accessible
    assert_accessible(page)            # after each page.goto / navigation

Set ``AXE_REPORT=/tmp/axe.jsonl`` to also write every finding (minor and
moderate too) of every page checked, one JSON line per page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.1 A and AA plus axe's best practices (heading order, landmarks).
RUN_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def axe_violations(page, *, impacts=FAILING_IMPACTS) -> list[dict]:
    """Return axe's violations on the current page with one of ``impacts``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("(options) => axe.run(document, options)", RUN_OPTIONS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")}
                   for n in v["nodes"][:5]]}
        for v in results["violations"] if v["impact"] in impacts
    ]


def assert_accessible(page, *, impacts=FAILING_IMPACTS) -> None:
    """Fail with axe's findings when the page has a serious or critical violation."""
    page.wait_for_load_state("load")
    report = os.environ.get("AXE_REPORT")  # a file: every impact, for a person to read
    if report:
        every = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
        with open(report, "a", encoding="utf-8") as out:
            out.write(json.dumps({"url": page.url, "violations": every}, ensure_ascii=False)
                      + "\n")
    found = axe_violations(page, impacts=impacts)
    assert not found, f"axe-core on {page.url}:\n{json.dumps(found, ensure_ascii=False, indent=1)}"


SMALL_TARGETS = """(minimum) => {
  const controls = document.querySelectorAll(
    "button, .btn, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]),"
    + " textarea, .nav-link, .navbar-toggler, .page-link, .form-check");
  const small = [];
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    if (el.matches("input[type=file]") && el.closest(".input-group")) continue;
    if (box.height < minimum - 0.5 || box.width < minimum - 0.5) {
      small.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim()
        .slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  for (const box of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    const size = box.getBoundingClientRect();
    if (size.width && size.width < 24) small.push(`checkbox ${box.name} ${size.width}px`);
  }
  return small;
}"""


def assert_tap_targets(page, *, minimum: int = 44) -> None:
    """Fail when a button, field, menu link or checkbox row is under 44 × 44 px."""
    small = page.evaluate(SMALL_TARGETS, minimum)
    assert not small, f"tap targets under {minimum} px on {page.url}: {small}"


def check_page(page) -> None:
    """axe-core (serious/critical) and tap targets on the current page."""
    assert_accessible(page)
    assert_tap_targets(page)
