"""Filters of the staff case list (django-filter), choices scoped by user."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField
from core.mobile import normalise_mobile
from organization.models import UnitKind
from organization.scoping import sub_divisions_visible_to, units_visible_to
from theft_cases.models import CaseStatus, Category, TheftCase, TheftType

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountFilter(django_filters.Filter):
    """Rupees typed as in every other form (one parser, DESIGN §5 "Amounts")."""

    field_class = AmountField


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={
            "placeholder": _("case no., account no., mobile or name"),
        }),
    )
    sub_division = django_filters.ModelChoiceFilter(label=_("Sub-division"), queryset=None)
    division = django_filters.ModelChoiceFilter(
        label=_("Division"), queryset=None, method="in_division"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    theft_type = django_filters.ChoiceFilter(label=_("Theft type"), choices=TheftType.choices)
    detected_from = django_filters.DateFilter(
        label=_("Detected from"), field_name="detection_date", lookup_expr="gte", widget=DATE
    )
    detected_to = django_filters.DateFilter(
        label=_("Detected to"), field_name="detection_date", lookup_expr="lte", widget=DATE
    )
    assessed_min = AmountFilter(
        label=_("Assessed from (₹)"), field_name="assessment_amount", lookup_expr="gte"
    )
    assessed_max = AmountFilter(
        label=_("Assessed to (₹)"), field_name="assessment_amount", lookup_expr="lte"
    )
    has_mobile = django_filters.ChoiceFilter(
        label=_("Has mobile"), choices=YES_NO, method="with_mobile"
    )
    flagged = django_filters.ChoiceFilter(label=_("Flagged"), choices=YES_NO, method="is_flagged")

    class Meta:
        model = TheftCase
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sub_division"].queryset = sub_divisions_visible_to(user)
        self.filters["division"].queryset = units_visible_to(user, kind=UnitKind.DIVISION)

    def search(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        match = Q(case_number__iexact=term) | Q(case_number__icontains=term)
        digits = term.replace(" ", "")
        if digits.lstrip("+").isdigit():
            match |= Q(consumer__account_number=digits)
            mobile = normalise_mobile(digits)
            if mobile:
                match |= Q(consumer__mobile=mobile)
        else:
            # Names are stored as written (Devanagari or Latin); match either.
            match |= Q(consumer__name__icontains=term)
        return queryset.filter(match)

    def in_division(self, queryset, name, value):
        return queryset.filter(sub_division__path__startswith=value.path)

    def with_mobile(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(consumer__mobile="")
        return queryset.filter(consumer__mobile="")

    def is_flagged(self, queryset, name, value):
        flagged = Q(status__in=[CaseStatus.FLAGGED, CaseStatus.ACTION_TAKEN])
        return queryset.filter(flagged) if value == "yes" else queryset.exclude(flagged)
