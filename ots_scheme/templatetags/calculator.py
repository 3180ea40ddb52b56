"""The calculator's phase cards, drawn in Python (issue 18).

The calculator answers as a person types (htmx): each answer draws six
phase cards of seven amounts and a sentence each. Drawn through the template
engine that was most of the answer's time; these tags write the same markup
directly. Labels and sentences are the same translations as before, looked up
once per language (:class:`common.markup.Words`); a card's heading depends
only on the phase, the scheme rows, the language and the day, and is kept
with the page's other fragments (:func:`common.markup.kept`).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from common.markup import Words, day_text, escaped, kept
from core.money import format_inr as inr

register = template.Library()

_FIGURES = (
    (gettext_noop("You pay in all"), "amount fw-bold fs-6 mb-1", "total_payable"),
    (gettext_noop("Waived"), "amount text-success mb-1", "waiver"),
    (gettext_noop("Registration fee (paid first)"), "amount mb-1", "registration_fee"),
    (gettext_noop("Balance"), "amount mb-1", "balance"),
)
WORDS = Words(*(label for label, _, _ in _FIGURES), gettext_noop("Balance due by"))


@register.simple_tag
def phase_figures(quote) -> SafeString:
    """What the person pays in a phase: the figures list and how the total is made."""
    words = WORDS()
    items = "".join(
        f'<dt class="col-7">{words[label]}</dt><dd class="col-5 {css}" '
        f'data-figure="{figure}">{escaped(inr(getattr(quote, figure)))}</dd>'
        for label, css, figure in _FIGURES)
    sentence = gettext(
        "Assessment payable %(payable)s − deposits %(deposited)s + compounding fee "
        "%(compounding)s.") % {"payable": escaped(inr(quote.assessment_payable)),
                               "deposited": escaped(inr(quote.deposited)),
                               "compounding": escaped(inr(quote.compounding_fee))}
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<dl class="row mb-0 small">{items}<dt class="col-7">{words["Balance due by"]}'
        f'</dt><dd class="col-5 amount mb-0">{day_text(quote.balance_due_date)}</dd></dl>'
        f'<p class="small text-muted mt-2 mb-0">{sentence}</p>')


def _heading(cell) -> str:
    """The card's heading: the phase, "now", its days and its share."""
    phase = cell["phase"]
    now = (f'<span class="badge text-bg-danger">{escaped(gettext("now"))}</span>'
           if cell["is_current"] else "")
    share = gettext("%(percent)s%% of the assessment") % {
        "percent": escaped(floatformat(phase.payable_percent, "-2"))}
    number = gettext("Phase %(number)s") % {"number": escaped(phase.number)}
    return (f'\n          <h4 class="h6 card-title">{number}\n            {now}\n'
            f'            <small class="text-muted d-block">{day_text(phase.starts_on)} – '
            f"{day_text(phase.ends_on)} · {share}</small>\n          </h4>\n          ")


@register.simple_tag
def phase_card(cell, version, today) -> SafeString:
    """One phase of a scheme in the calculator: its heading and, when quoted, its figures."""
    heading = kept(("calculator-phase", str(cell["phase"].pk), str(version), get_language(),
                    str(today)), lambda: _heading(cell))
    css = ((" phase-current" if cell["is_current"] else "")
           + (" phase-past" if cell["is_past"] else ""))
    return mark_safe(  # noqa: S308 - the heading and the figures are escaped
        f'\n    <div class="col-12 col-md-4">\n      <div class="card h-100{css}">\n'
        f'        <div class="card-body">\n          {heading}\n'
        f"          {phase_figures(cell['quote'])}\n        </div>\n      </div>\n"
        "    </div>\n    ")
