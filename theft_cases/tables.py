"""The staff case list table (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.money import format_inr
from theft_cases.models import TheftCase

# django-tables2's pager says {% trans 'previous' %} / {% trans 'next' %} and
# ships no Hindi; the project catalogue (searched first) gives it.
PAGER_WORDS = (gettext_noop("previous"), gettext_noop("next"))


class CaseTable(tables.Table):
    case_number = tables.Column(linkify=True, verbose_name=_("Case number"))
    detection_date = tables.DateColumn(format="d-m-Y", verbose_name=_("Detected"))
    consumer__name = tables.Column(verbose_name=_("Name"), order_by=("consumer__name",))
    sub_division = tables.Column(verbose_name=_("Sub-division"), order_by=("sub_division__code",))
    category = tables.Column(verbose_name=_("Category"))
    assessment_amount = tables.Column(
        verbose_name=_("Assessed"), attrs={"td": {"class": "text-end text-nowrap"}}
    )
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = TheftCase
        fields = ("case_number", "detection_date", "consumer__name", "sub_division",
                  "category", "assessment_amount", "status")
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("No cases match.")

    def render_assessment_amount(self, value):
        return format_inr(value)

    def render_category(self, record):
        return record.category
