"""Cases: the changed-since feed, ingest in the bulk import's columns, one case
(DESIGN §8). Reads through ``organization.scoping.visible_in`` with the
client's unit, so another unit's case is a 404 like a missing one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

from django.db import IntegrityError
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api import queries, serializers
from api.access import client_of
from api.errors import ApiError
from api.models import Scope
from api.views.base import ApiView, local_time, money_text
from organization.scoping import visible_in
from theft_cases import importing, services
from theft_cases.models import TheftCase
from theft_cases.rows import COLUMNS

NUMERIC_COLUMNS = frozenset({
    "account_number", "mobile", "load_kw", "assessment_amount", "compounding_fee",
    "deposited_amount",
})
API_REASONS = {
    "unknown_column": translation.gettext_lazy("not a column of the case list"),
    "bad_value": translation.gettext_lazy("must be text (or a number for this column)"),
    "bad_text": translation.gettext_lazy("contains characters that cannot be stored"),
    "not_an_object": translation.gettext_lazy("each row must be an object of columns"),
}


def _cursor_encode(position: tuple[dt.datetime, int]) -> str:
    moment, pk = position
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _cursor_decode(text: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        stamp, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(stamp)
        number = int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError({"cursor": [translation.gettext("Not a cursor of this API.")]}) \
            from exc
    if timezone.is_naive(moment) or not serializers.in_range(moment) \
            or not 0 < number <= serializers.MAX_SEQ:
        raise ValidationError({"cursor": [translation.gettext("Not a cursor of this API.")]})
    return moment, number


def case_dict(case: TheftCase, *, changed_at: dt.datetime | None = None) -> dict:
    """The case as the API shows it; ``changed_at``: its last change if later than updated_at."""
    consumer = case.consumer
    return {
        "case_number": case.case_number,
        "detection_date": case.detection_date.isoformat(),
        "account_number": consumer.account_number,
        "name": consumer.name,
        "father_or_husband_name": consumer.father_or_husband_name,
        "address": consumer.address,
        "mobile": consumer.mobile,
        "sub_division_code": case.sub_division.code,
        "category": case.category,
        "theft_type": case.theft_type,
        "load_kw": money_text(case.load_kw) if case.load_kw is not None else None,
        "fir_number": case.fir_number,
        "police_station": case.police_station,
        "assessment_amount": money_text(case.assessment_amount),
        "compounding_fee": money_text(case.compounding_fee),
        "deposited_amount": money_text(case.deposited_amount),
        "status": case.status,
        "fed_at": local_time(case.fed_at),
        "updated_at": local_time(changed_at or case.updated_at),
    }


def _row_error(column: str, code: str) -> dict:
    reason = API_REASONS.get(code) or importing.REASONS.get(code) or code
    with translation.override("hi"):
        message_hi = str(reason)
    with translation.override("en"):
        message_en = str(reason)
    return {"field": column, "code": code, "message_hi": message_hi, "message_en": message_en}


def _cell_problems(row) -> list[dict]:
    """Check what JSON can carry and a row of §5 cannot; the validator does the rest."""
    if not isinstance(row, dict):
        return [_row_error("_", "not_an_object")]
    problems = []
    for column, value in row.items():
        if column not in COLUMNS:
            problems.append(_row_error(_safe(str(column))[:60], "unknown_column"))
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            problems.append(_row_error(column, "bad_value"))
        elif not isinstance(value, str) and column not in NUMERIC_COLUMNS:
            problems.append(_row_error(column, "bad_value"))
        elif isinstance(value, str) and ("\x00" in value or not _encodable(value)):
            problems.append(_row_error(column, "bad_text"))
    return problems


def _safe(text: str) -> str:
    """Return text that can be sent back as JSON (a lone surrogate cannot)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class CaseCollection(ApiView):
    required_scopes = {"GET": Scope.CASES_READ, "POST": Scope.CASES_WRITE}

    @extend_schema(
        operation_id="cases_list", parameters=[serializers.CaseListQuery],
        responses={200: serializers.CasePageOut},
        description="Cases of the client's unit changed at or after `updated_since`, "
                    "oldest change first, paged by `cursor` (the previous page's "
                    "`next_cursor`).",
    )
    def get(self, request):
        params = self.query(serializers.CaseListQuery)
        cursor = _cursor_decode(params["cursor"]) if "cursor" in params else None
        # Edits (updated_at), the nightly sweep's flags (new action items) and
        # clearings (CaseStatusChange), merged in (time, case id) order:
        # api.queries.case_changes.
        page, position = queries.case_changes(
            self.client_unit(), since=params.get("updated_since"), cursor=cursor,
            limit=params["limit"])
        return Response({
            "results": [case_dict(case, changed_at=at) for at, case in page],
            "next_cursor": _cursor_encode(position) if position else None,
        })

    @extend_schema(
        operation_id="cases_ingest", request=serializers.CaseBatchIn,
        parameters=[OpenApiParameter("dry_run", int, enum=[0, 1],
                                     description="1: validate and preview only")],
        responses={200: serializers.CaseBatchOut},
        description="Feed or correct up to 1,000 cases in the columns of the bulk import. "
                    "Idempotent on `case_number`: a row equal to the case is `unchanged`.",
    )
    def post(self, request):
        dry_run = request.query_params.get("dry_run", "0")
        if dry_run not in ("0", "1", "true", "false"):
            raise ValidationError({"dry_run": [translation.gettext("Use 0 or 1.")]})
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise ValidationError({"rows": [translation.gettext("Send {\"rows\": [...]}.")]})
        extra = sorted(_safe(str(key))[:60] for key in data if key != "rows")
        if extra:
            raise ValidationError({key: [translation.gettext("Unknown field.")] for key in extra})
        rows = data["rows"]
        if len(rows) > serializers.MAX_ROWS:
            raise ApiError("too_many_rows", fields={"rows": [str(len(rows))]})
        problems = {index: _cell_problems(row) for index, row in enumerate(rows)}
        clean = [(index, row) for index, row in enumerate(rows) if not problems[index]]
        client = client_of(request)
        try:
            outcome = services.cases_ingest(
                user=request.user, unit=client.unit, rows=[row for _, row in clean],
                dry_run=dry_run in ("1", "true"), change_reason=f"api {client.name}",
            )
        except IntegrityError as exc:
            raise ApiError("busy", status_code=status.HTTP_409_CONFLICT) from exc
        line_of = {line: index for line, (index, _row) in enumerate(clean, start=1)}
        for entry in outcome.rejected_rows:
            problems[line_of[entry["line"]]] = [
                _row_error(column, code)
                for column, code in zip(entry["columns"], entry["codes"], strict=True)
            ]
        results = []
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for line, index in line_of.items():
            if not problems[index]:
                results.append((index, outcome.row_results[line]))
        results += [(index, "rejected") for index in problems if problems[index]]
        answer = []
        for index, result in sorted(results):
            counts[result] += 1
            row = rows[index]
            number = row.get("case_number") if isinstance(row, dict) else None
            answer.append({
                "index": index,
                "case_number": _safe(number.strip())[:40] if isinstance(number, str) else "",
                "result": result, "errors": problems[index],
            })
        return Response({"dry_run": dry_run in ("1", "true"), "counts": counts,
                         "rows": answer})


class CaseDetail(ApiView):
    required_scopes = {"GET": Scope.CASES_READ}

    @extend_schema(
        operation_id="cases_detail", responses={200: serializers.CaseOut},
        parameters=[OpenApiParameter("case_number", str, OpenApiParameter.PATH,
                                     description="URL-encoded: LKO%2FAMN%2F2023%2F0123")],
    )
    def get(self, request, case_number: str):
        if len(case_number) > 40 or "\x00" in case_number:
            raise NotFound
        case = (visible_in(self.client_unit(), TheftCase.objects.all())
                .select_related("consumer", "sub_division")
                .filter(case_number=case_number).first())
        if case is None:
            raise NotFound
        return Response(case_dict(case))
