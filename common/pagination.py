"""Paginators that a page number cannot break (DESIGN §7: no input answers 500).

django-tables2's LazyPaginator (no COUNT over lakhs of rows) turns any page
number into an OFFSET: ``?page=10**24`` overflowed the database's bigint.
Past :data:`MAX_PAGE` the page does not exist, like any empty page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.utils.translation import gettext_lazy as _
from django_tables2.paginators import LazyPaginator

# 10⁶ cases statewide at 50 a page is 20,000 pages; far past any real list.
MAX_PAGE = 1_000_000


class BoundedLazyPaginator(LazyPaginator):
    def validate_number(self, number):
        number = super().validate_number(number)
        if number > MAX_PAGE:
            raise EmptyPage(_("That page contains no results"))
        return number
