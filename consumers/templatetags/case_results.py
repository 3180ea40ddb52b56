"""A found case and its quote, drawn in Python (issue 18).

The lookup is the busiest public page on the last day of a phase, and most
of its answer was the template engine drawing each case found: five facts,
the nine figures of the quote and the OTP form, some sixty nodes. These tags
write the same markup directly (the quote table is also the registration's
last step); every value goes through :func:`common.markup.escaped` and the
words are the same translations as before. A case that cannot register
still shows its office through ``_office_contact.html``.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat, urlencode
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from common.markup import Words, day_text, escaped
from core.money import format_inr

register = template.Library()

# (label, attributes of the row, the quote's attribute) of the quote's amounts.
_AMOUNTS = (
    (gettext_noop("Assessment"), "", "assessment"),
    (gettext_noop("Waiver"), ' class="text-success"', "waiver"),
    (gettext_noop("Earlier deposits"), "", "deposited"),
    (gettext_noop("Compounding fee"), "", "compounding_fee"),
    (gettext_noop("Total payable"), ' class="fw-bold"', "total_payable"),
    (gettext_noop("Registration fee (pay now)"), "", "registration_fee"),
    (gettext_noop("Balance"), "", "balance"),
)


WORDS = Words(
    *(label for label, _, _ in _AMOUNTS), gettext_noop("Phase"), gettext_noop("Balance due by"),
    gettext_noop("Case"), gettext_noop("Name"), gettext_noop("Account"),
    gettext_noop("Mobile on record"), gettext_noop("none"), gettext_noop("Detected on"),
    gettext_noop("Sub-division"), gettext_noop("demo"),
    gettext_noop("Register: send OTP to my mobile"), gettext_noop("Register"),
    gettext_noop("Check your registration status"),
)


def _row(label: str, cell: str, value: str, attrs: str = "") -> str:
    return (f'    <tr{attrs}><th scope="row">{label}</th>'
            f'<td class="{cell}">{escaped(value)}</td></tr>\n')


@register.simple_tag
def quote_table(quote) -> SafeString:
    """The quote's phase and figures, as a table (``ots_scheme.settlement`` quote)."""
    words = WORDS()
    phase = (f"{escaped(quote.phase)} ({escaped(floatformat(quote.payable_percent, '-2'))}%)")
    rows = "".join(_row(words[label], "amount", format_inr(getattr(quote, name)), attrs)
                   for label, attrs, name in _AMOUNTS)
    return mark_safe(  # noqa: S308 - every value is escaped
        '<table class="table table-sm mb-2">\n  <tbody>\n'
        f'    <tr><th scope="row">{words["Phase"]}</th>'
        f'<td class="text-end">{phase}</td></tr>\n{rows}'
        + _row(words["Balance due by"], "text-end", day_text(quote.balance_due_date))
        + "  </tbody>\n</table>\n")


@register.simple_tag(takes_context=True)
def case_result(context, item) -> SafeString:
    """One case found by the lookup (``consumers.queries.CaseOutlook``), as a card."""
    case, words = item.case, WORDS()
    number = escaped(case.case_number)
    account = (f'<dt class="col-5">{words["Account"]}</dt>'
               f'<dd class="col-7">{escaped(item.account)}</dd>') if item.account else ""
    mobile = escaped(item.mobile) if item.mobile else words["none"]
    facts = (
        f'      <dl class="row mb-2">\n'
        f'        <dt class="col-5">{words["Name"]}</dt>'
        f'<dd class="col-7">{escaped(item.name)}</dd>\n'
        f"        {account}\n"
        f'        <dt class="col-5">{words["Mobile on record"]}</dt>'
        f'<dd class="col-7">{mobile}</dd>\n'
        f'        <dt class="col-5">{words["Detected on"]}</dt>'
        f'<dd class="col-7">{day_text(case.detection_date)}</dd>\n'
        f'        <dt class="col-5">{words["Sub-division"]}</dt>'
        f'<dd class="col-7">{escaped(case.sub_division)}</dd>\n'
        "      </dl>\n"
    )
    body = (_can_register(context, item, number, words) if item.can_register
            else _cannot(context, item, words))
    return mark_safe(  # noqa: S308 - every value is escaped
        '\n  <div class="card mb-3 case-result">\n    <div class="card-body">\n'
        f'      <h2 class="h5 card-title">{words["Case"]} {number}</h2>\n'
        f"{facts}{body}    </div>\n  </div>\n  ")


def _can_register(context, item, number: str, words: dict[str, str]) -> str:
    demo = (f'<span class="badge text-bg-warning demo-badge">{words["demo"]}</span>'
            if item.scheme.is_demo else "")
    settled = gettext("This case can be settled under %(scheme)s.") % {
        "scheme": escaped(item.scheme.name)}
    button = words["Register: send OTP to my mobile" if item.has_mobile else "Register"]
    change = ""
    if item.has_mobile:
        not_mine = gettext("The mobile %(mobile)s is no longer mine") % {
            "mobile": escaped(item.mobile)}
        change = (f'<p class="mt-2 mb-0"><a class="mobile-change-link" href="'
                  f'{reverse("consumers:mobile_change")}?case_number='
                  f'{escaped(urlencode(item.case.case_number))}">{not_mine}</a></p>')
    return (
        f'      \n        <p class="alert alert-success mb-2">{settled}\n'
        f"          {demo}</p>\n"
        f"        {quote_table(item.quote)}\n"
        f'        <form method="post" action="{reverse("consumers:otp_start")}">'
        f"{CsrfTokenNode().render(context)}\n"
        f'          <input type="hidden" name="case_number" value="{number}">\n'
        f'          <button class="btn btn-danger w-100">{button}</button>\n'
        "        </form>\n"
        f"        {change}\n      \n")


def _cannot(context, item, words: dict[str, str]) -> str:
    recover = ""
    if item.code == "already_registered":
        recover = (f'<a href="{reverse("consumers:recover")}?case_number='
                   f'{escaped(urlencode(item.case.case_number))}">'
                   f'{words["Check your registration status"]}</a>')
    office = context.template.engine.get_template("_office_contact.html")
    with context.push(office=item.case.sub_division):
        contact = office.render(context)
    return (
        f'      \n        <p class="alert alert-secondary mb-2 case-message" '
        f'data-code="{escaped(item.code)}">{escaped(item.message)}\n'
        f"        {recover}</p>\n        {contact}\n      \n")

