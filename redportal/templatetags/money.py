"""Template filters for rupees, loaded as a builtin in every template."""

from decimal import Decimal

from django import template

from core.money import format_inr, group_indian

register = template.Library()


@register.filter
def inr(value, decimals=2):
    """Render ``₹1,23,45,678.00`` (Indian grouping in every language)."""
    if value is None or value == "":
        return ""
    return format_inr(Decimal(value), decimals=int(decimals))


@register.filter
def inr0(value):
    """Render whole rupees: ``₹1,23,45,678``."""
    return inr(value, 0)


@register.filter
def indian(value):
    """Group a count the Indian way: 1,23,456."""
    if value is None or value == "":
        return ""
    number = int(value)
    return ("-" if number < 0 else "") + group_indian(str(abs(number)))


@register.filter
def lakh_crore(value):
    """Render a large amount with a lakh/crore label: ``₹12.35 करोड़``."""
    from django.utils.translation import gettext

    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if abs(amount) >= Decimal("10000000"):
        return gettext("₹%(n)s crore") % {"n": f"{amount / Decimal('10000000'):.2f}"}
    if abs(amount) >= Decimal("100000"):
        return gettext("₹%(n)s lakh") % {"n": f"{amount / Decimal('100000'):.2f}"}
    return format_inr(amount, decimals=0)
