"""The calculator's figures for one phase, drawn in Python (issue 18).

The calculator answers as a person types (htmx): each answer draws six
phase cards of seven amounts and a sentence each. Drawn through the template
engine that was most of the answer's time; this tag writes the same markup
directly. Labels and the sentence are the same translations as before.
"""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from common.markup import escaped
from core.money import format_inr as inr

register = template.Library()


@register.simple_tag
def phase_figures(quote) -> SafeString:
    """What the person pays in a phase: the figures list and how the total is made."""
    rows = (
        (gettext_noop("You pay in all"), "amount fw-bold fs-6 mb-1", "total_payable",
         inr(quote.total_payable)),
        (gettext_noop("Waived"), "amount text-success mb-1", "waiver", inr(quote.waiver)),
        (gettext_noop("Registration fee (paid first)"), "amount mb-1", "registration_fee",
         inr(quote.registration_fee)),
        (gettext_noop("Balance"), "amount mb-1", "balance", inr(quote.balance)),
    )
    items = "".join(
        f'<dt class="col-7">{escaped(gettext(label))}</dt><dd class="col-5 {css}" '
        f'data-figure="{figure}">{escaped(value)}</dd>' for label, css, figure, value in rows)
    due = date_format(quote.balance_due_date, "d-m-Y")
    sentence = gettext(
        "Assessment payable %(payable)s − deposits %(deposited)s + compounding fee "
        "%(compounding)s.") % {"payable": escaped(inr(quote.assessment_payable)),
                               "deposited": escaped(inr(quote.deposited)),
                               "compounding": escaped(inr(quote.compounding_fee))}
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<dl class="row mb-0 small">{items}<dt class="col-7">{escaped(gettext("Balance due by"))}'
        f'</dt><dd class="col-5 amount mb-0">{escaped(due)}</dd></dl>'
        f'<p class="small text-muted mt-2 mb-0">{sentence}</p>')
