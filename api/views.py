"""The integration API's endpoints (DESIGN §8): thin views over the services.

Every view reads through ``organization.scoping.visible_in`` with the
client's unit, so another unit's case or entry is a 404 like a missing one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import time
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import queries, serializers
from api.access import client_of
from api.errors import ApiError
from api.models import Scope
from api.services import request_log_record
from core.dates import IST
from organization.scoping import unit_ids_within, visible_in
from payments import ledger_feed
from payments.models import LedgerEntry
from theft_cases import importing, services
from theft_cases.models import TheftCase
from theft_cases.rows import COLUMNS

# Columns whose JSON value may be a number rather than text.
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


def _local(value: dt.datetime | None) -> str | None:
    return value.astimezone(IST).isoformat() if value is not None else None


def _money(value) -> str:
    return f"{value:.2f}"


class ApiView(APIView):
    """Base of every endpoint: logs the request, never lets a proxy keep the answer."""

    required_scopes: dict[str, str] = {}

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        try:
            client = client_of(self.request)
        except Exception:  # noqa: BLE001 - authentication already answered
            client = None
        match = getattr(request, "resolver_match", None)
        request_log_record(
            client=client, method=request.method, endpoint=match.route if match else "?",
            status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        response["Cache-Control"] = "no-store"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF reads a JSON body from the raw stream, past Django's own limit.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ApiError("too_large", status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)

    def client_unit(self):
        return client_of(self.request).unit

    def query(self, serializer_class):
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


# --- Cases --------------------------------------------------------------------------


def _cursor_encode(case: TheftCase) -> str:
    raw = f"{case.updated_at.isoformat()}|{case.pk}".encode()
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


def case_dict(case: TheftCase) -> dict:
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
        "load_kw": _money(case.load_kw) if case.load_kw is not None else None,
        "fir_number": case.fir_number,
        "police_station": case.police_station,
        "assessment_amount": _money(case.assessment_amount),
        "compounding_fee": _money(case.compounding_fee),
        "deposited_amount": _money(case.deposited_amount),
        "status": case.status,
        "fed_at": _local(case.fed_at),
        "updated_at": _local(case.updated_at),
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
        cases = visible_in(self.client_unit(), TheftCase.objects.all())
        if "updated_since" in params:
            cases = cases.filter(updated_at__gte=params["updated_since"])
        if "cursor" in params:
            moment, pk = _cursor_decode(params["cursor"])
            # The redundant ">=" lets the (updated_at, id) index start at the cursor.
            cases = cases.filter(updated_at__gte=moment).exclude(updated_at=moment, pk__lte=pk)
        limit = params["limit"]
        page = list(cases.select_related("consumer", "sub_division")
                    .order_by("updated_at", "pk")[:limit + 1])
        more = len(page) > limit
        page = page[:limit]
        return Response({
            "results": [case_dict(case) for case in page],
            "next_cursor": _cursor_encode(page[-1]) if more else None,
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


# --- Ledger -------------------------------------------------------------------------


def _entry_dict(row: dict) -> dict:
    row["amount"] = _money(row["amount"])
    row["recorded_at"] = _local(row["recorded_at"])
    row["posted_at"] = _local(row["posted_at"])
    return row


class LedgerFeed(ApiView):
    required_scopes = {"GET": Scope.LEDGER_READ}

    @extend_schema(
        operation_id="ledger_list", parameters=[serializers.AfterQuery],
        responses={200: serializers.LedgerPageOut},
        description="Every credit and refund in commit order, numbered without gaps "
                    "(`seq`). Page with `after` = the last `seq` read (`next_after`).",
    )
    def get(self, request):
        params = self.query(serializers.AfterQuery)
        # Number what has committed since the last run, so a reader never
        # waits for beat to see a payment (payments.ledger_feed).
        ledger_feed.ledger_sequence_assign()
        # The gate's unit list rather than its path join: the scan stays on
        # the seq index (a keyset page), whatever the planner's estimates.
        unit = self.client_unit()
        entries = LedgerEntry.objects.filter(sub_division_id__in=unit_ids_within(unit))
        rows = ledger_feed.feed_entries(entries, after=params["after"],
                                        limit=params["limit"] + 1)
        more = len(rows) > params["limit"]
        rows = rows[:params["limit"]]
        return Response({
            "results": [_entry_dict(row) for row in rows],
            "next_after": rows[-1]["seq"] if rows else params["after"],
            "has_more": more,
        })


class LedgerPosting(ApiView):
    required_scopes = {"POST": Scope.LEDGER_POST}

    @extend_schema(
        operation_id="ledger_posting", request=serializers.PostingIn,
        responses={200: serializers.PostingOut, 201: serializers.PostingOut},
        description="Billing confirms it posted entry `seq` under `reference`. The same "
                    "reference again is harmless (200); another one is a 409.",
    )
    def post(self, request, seq: int):
        if seq > serializers.MAX_SEQ:
            raise NotFound
        body = serializers.PostingIn(data=request.data)
        body.is_valid(raise_exception=True)
        entries = visible_in(self.client_unit(), LedgerEntry.objects.all())
        try:
            posting, created = ledger_feed.ledger_posting_record(
                entries=entries, seq=seq, reference=body.validated_data["reference"],
                user=request.user,
            )
        except LedgerEntry.DoesNotExist as exc:
            raise NotFound from exc
        except ledger_feed.PostingConflict as exc:
            raise ApiError("posting_conflict", status_code=status.HTTP_409_CONFLICT,
                           fields={"reference": [exc.posting.reference]}) from exc
        return Response(
            {"seq": seq, "reference": posting.reference, "posted_at": _local(posting.posted_at),
             "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Dues ---------------------------------------------------------------------------


class DuesFeed(ApiView):
    required_scopes = {"GET": Scope.DUES_READ}

    @extend_schema(
        operation_id="dues_list", parameters=[serializers.AfterQuery],
        responses={200: serializers.DuesPageOut},
        description="Flagged or lapsed cases with an account number and what they still "
                    "owe, assessment and compounding fee apart (docs/api.md says how). "
                    "Paged by `after` = the previous page's `next_after`.",
    )
    def get(self, request):
        params = self.query(serializers.AfterQuery)
        cases = visible_in(self.client_unit(), TheftCase.objects.all())
        page = queries.dues_page(cases, after=params["after"], limit=params["limit"] + 1)
        more = len(page) > params["limit"]
        page = page[:params["limit"]]
        results = []
        for case in page:
            dues = queries.case_dues(case)
            results.append({
                "case_number": case.case_number,
                "account_number": case.consumer.account_number,
                "sub_division_code": case.sub_division.code,
                "case_status": case.status,
                "basis": dues["basis"],
                "registration_number": dues["registration_number"],
                **{name: _money(dues[name]) for name in
                   ("credited", "assessment_due", "compounding_due", "total_due")},
            })
        return Response({"results": results,
                         "next_after": page[-1].pk if page else params["after"],
                         "has_more": more})


class NotFoundView(ApiView):
    """Any other path under /api/: the JSON 404 (never Django's HTML page)."""

    permission_classes: list = []
    throttle_classes: list = []
    schema = None

    def answer(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = head = options = answer
