"""The ledger feed for billing and its postings (DESIGN §8), through the scoping
gate's unit list.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api import serializers
from api.errors import ApiError
from api.models import Scope
from api.views.base import ApiView, local_time, money_text
from organization.scoping import unit_ids_within, visible_in
from payments import ledger_feed
from payments.models import LedgerEntry


def _entry_dict(row: dict) -> dict:
    row["amount"] = money_text(row["amount"])
    row["recorded_at"] = local_time(row["recorded_at"])
    row["posted_at"] = local_time(row["posted_at"])
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
            {"seq": seq, "reference": posting.reference, "posted_at": local_time(posting.posted_at),
             "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
