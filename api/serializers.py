"""Shapes of the API's requests and answers (DESIGN §8).

Query and body serializers validate what DRF can check by itself; the case
rows are validated by the import's own row validator (``theft_cases.rows``),
so their serializer here only describes them in the schema. Answers are
built by ``api.views`` as plain dicts (the ledger is paged fast) and
described here; the schemathesis run checks that the two agree.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from theft_cases.rows import COLUMNS, REQUIRED_COLUMNS

MAX_ROWS = 1000
MAX_SEQ = 2**63 - 1
MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


@extend_schema_field({"type": "string", "nullable": True,
                      "description": "text; numbers are also accepted for amounts, "
                                     "load, account number and mobile"})
class CellField(serializers.Field):
    """One §5 cell: text (or a number where the column is numeric), or null."""


CaseRowIn = type("CaseRowIn", (serializers.Serializer,), {
    column: CellField(required=column in REQUIRED_COLUMNS) for column in COLUMNS
})


class CaseBatchIn(serializers.Serializer):
    rows = serializers.ListField(child=CaseRowIn(), max_length=MAX_ROWS)


class RowErrorOut(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message_hi = serializers.CharField()
    message_en = serializers.CharField()


class RowResultOut(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("position of the row in the request, from 0"))
    case_number = serializers.CharField(allow_blank=True)
    result = serializers.ChoiceField(choices=["created", "updated", "unchanged", "rejected"])
    errors = RowErrorOut(many=True)


class CountsOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()


class CaseBatchOut(serializers.Serializer):
    dry_run = serializers.BooleanField()
    counts = CountsOut()
    rows = RowResultOut(many=True)


class CaseOut(serializers.Serializer):
    case_number = serializers.CharField()
    detection_date = serializers.DateField()
    account_number = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    father_or_husband_name = serializers.CharField(allow_blank=True)
    address = serializers.CharField()
    mobile = serializers.CharField(allow_blank=True)
    sub_division_code = serializers.CharField()
    category = serializers.CharField()
    theft_type = serializers.CharField()
    load_kw = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True,
                                       allow_null=True)
    fir_number = serializers.CharField(allow_blank=True)
    police_station = serializers.CharField(allow_blank=True)
    assessment_amount = serializers.DecimalField(**MONEY)
    compounding_fee = serializers.DecimalField(**MONEY)
    deposited_amount = serializers.DecimalField(**MONEY)
    status = serializers.CharField()
    fed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CasePageOut(serializers.Serializer):
    results = CaseOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


# Times a database column can compare with in any time zone (year 1 or
# 9999 overflow when shifted to UTC).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def in_range(moment: dt.datetime) -> bool:
    return EARLIEST <= moment <= LATEST


class CaseListQuery(serializers.Serializer):
    updated_since = serializers.DateTimeField(required=False)
    cursor = serializers.CharField(required=False, max_length=200)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ROWS,
                                     default=100)

    def validate_updated_since(self, value):
        if not in_range(value):
            raise serializers.ValidationError(_("Give a time between 1900 and 9000."))
        return value


class LedgerEntryOut(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["credit", "refund"])
    purpose = serializers.ChoiceField(choices=["registration_fee", "balance"])
    channel = serializers.ChoiceField(choices=["online", "counter"])
    mode = serializers.CharField()
    registration_number = serializers.CharField()
    case_number = serializers.CharField()
    account_number = serializers.CharField(allow_blank=True)
    sub_division_code = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    bank_reference = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField()
    posting_reference = serializers.CharField(allow_blank=True)
    posted_at = serializers.DateTimeField(allow_null=True)


class LedgerPageOut(serializers.Serializer):
    results = LedgerEntryOut(many=True)
    next_after = serializers.IntegerField(help_text=_("pass as after= for the next page"))
    has_more = serializers.BooleanField()


class AfterQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, max_value=MAX_SEQ, default=0)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ROWS,
                                     default=500)


class PostingIn(serializers.Serializer):
    reference = serializers.CharField(max_length=64)

    def validate(self, attrs):
        extra = [key for key in self.initial_data if key not in self.fields]
        if extra:
            raise serializers.ValidationError(
                {str(key).encode("utf-8", "replace").decode("utf-8")[:60]: [_("Unknown field.")]
                 for key in extra})
        return attrs


class PostingOut(serializers.Serializer):
    seq = serializers.IntegerField()
    reference = serializers.CharField()
    posted_at = serializers.DateTimeField()
    created = serializers.BooleanField()


class DueOut(serializers.Serializer):
    case_number = serializers.CharField()
    account_number = serializers.CharField()
    sub_division_code = serializers.CharField()
    case_status = serializers.CharField()
    basis = serializers.ChoiceField(choices=["lapsed_registration", "unregistered"])
    registration_number = serializers.CharField(allow_null=True)
    credited = serializers.DecimalField(**MONEY)
    assessment_due = serializers.DecimalField(**MONEY)
    compounding_due = serializers.DecimalField(**MONEY)
    total_due = serializers.DecimalField(**MONEY)


class DuesPageOut(serializers.Serializer):
    results = DueOut(many=True)
    next_after = serializers.IntegerField()
    has_more = serializers.BooleanField()


class ErrorOut(serializers.Serializer):
    code = serializers.CharField()
    message_hi = serializers.CharField()
    message_en = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
