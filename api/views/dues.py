"""What flagged or lapsed cases still owe, for billing (DESIGN §8).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api import queries, serializers
from api.models import Scope
from api.views.base import ApiView, money_text
from organization.scoping import visible_in
from theft_cases.models import TheftCase


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
                **{name: money_text(dues[name]) for name in
                   ("credited", "assessment_due", "compounding_due", "total_due")},
            })
        return Response({"results": results,
                         "next_after": page[-1].pk if page else params["after"],
                         "has_more": more})
