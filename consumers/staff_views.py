"""Staff pages for changes of mobile (issue 16): the office's queue and decision.

Every read goes through ``organization.scoping.visible_to``: another unit's
request answers 404 like a missing one. JE and IT support see the queue; the
SDO and officers above decide (``consumers.mobile_change.may_decide``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consumers.forms import MobileChangeRefuseForm
from consumers.mobile_change import (
    MobileChangeError,
    may_decide,
    mobile_change_approve,
    mobile_change_refuse,
)
from consumers.models import MobileChangeRequest, MobileChangeStatus
from organization.scoping import staff_required, visible_to


def _requests(user):
    return visible_to(user, MobileChangeRequest.objects.select_related(
        "case__consumer", "case__sub_division", "decided_by"))


def _get(user, pk: int) -> MobileChangeRequest:
    return get_object_or_404(_requests(user), pk=pk)


@staff_required
@require_http_methods(["GET"])
def mobile_change_list(request):
    status = request.GET.get("status") or MobileChangeStatus.PENDING
    if status not in MobileChangeStatus.values:
        status = MobileChangeStatus.PENDING
    queryset = _requests(request.user).filter(status=status).order_by("created_at", "pk")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "consumers/staff/mobile_change_list.html", {
        "page": page, "status": status, "statuses": MobileChangeStatus.choices,
        "query": f"status={status}"})


@staff_required
@require_http_methods(["GET"])
def mobile_change_detail(request, pk: int):
    change = _get(request.user, pk)
    return render(request, "consumers/staff/mobile_change_detail.html", {
        "change": change, "may_decide": may_decide(request.user),
        "refuse_form": MobileChangeRefuseForm(),
        "history": change.history.select_related("history_user").order_by("history_date"),
        "other_requests": _requests(request.user).filter(case=change.case).exclude(pk=pk),
    })


@staff_required
@require_POST
def mobile_change_approve_view(request, pk: int):
    change = _get(request.user, pk)
    try:
        mobile_change_approve(change=change, officer=request.user)
    except MobileChangeError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Mobile changed; the person is told by SMS."))
    return redirect("consumers_staff:mobile_change_detail", pk)


@staff_required
@require_POST
def mobile_change_refuse_view(request, pk: int):
    change = _get(request.user, pk)
    form = MobileChangeRefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for refusing."))
        return redirect("consumers_staff:mobile_change_detail", pk)
    try:
        mobile_change_refuse(change=change, officer=request.user,
                             reason=form.cleaned_data["reason"])
    except MobileChangeError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Request refused; the person is told by SMS."))
    return redirect("consumers_staff:mobile_change_detail", pk)


@staff_required
@require_http_methods(["GET"])
def mobile_change_document(request, pk: int):
    change = _get(request.user, pk)
    if not change.document:
        raise Http404
    suffix = "." + change.document.name.rsplit(".", 1)[-1] if "." in change.document.name else ""
    return FileResponse(change.document.open("rb"), as_attachment=True,
                        filename=f"mobile-change-{pk}-id{suffix}")
