"""Staff pages of the action queue against unregistered defaulters (/staff/actions/).

Thin: every query comes from ``defaulters.queries`` through the one
jurisdiction gate, every write from ``record_action``; another unit's item
answers 404 exactly like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.dates import today_ist
from defaulters import notices
from defaulters.actions import ActionError, record_action
from defaulters.forms import ActionFilterForm, RecordActionForm
from defaulters.queries import (
    action_queue,
    escalated_count,
    flagged_items_of,
    is_senior,
    items_visible_to,
    may_record_actions,
)
from organization.scoping import staff_required, sub_divisions_visible_to

PAGE_SIZE = 50


@staff_required
@require_GET
def queue(request):
    """List the officer's action items: biggest dues and oldest first."""
    today = today_ist()
    form = ActionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    items = action_queue(request.user, filters=filters, today=today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sub_division = filters.get("sub_division")
    if sub_division is None:
        own = list(sub_divisions_visible_to(request.user)[:2])
        sub_division = own[0] if len(own) == 1 else None
    return render(request, "defaulters/action_list.html", {
        "form": form,
        "page": page,
        "today": today,
        "query": query.urlencode(),
        "senior": is_senior(request.user),
        "escalated": escalated_count(request.user),
        "batch_sub_division": sub_division,
    })


def _item(request, pk: int):
    return get_object_or_404(
        items_visible_to(request.user).select_related(
            "case", "case__consumer", "case__sub_division", "scheme", "sub_division"
        ),
        pk=pk,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """Show one item, the case's earlier items and records; record an action."""
    item = _item(request, pk)
    can_record = may_record_actions(request.user) and item.status != "closed"
    form = RecordActionForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                record_action(item=item, officer=request.user, **form.cleaned_data)
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The action was recorded."))
                return redirect("actions:detail", pk=item.pk)
    history = (
        items_visible_to(request.user).filter(case=item.case_id)
        .prefetch_related("records__officer").order_by("-created_at")
    )
    return render(request, "defaulters/action_detail.html", {
        "item": item,
        "case": item.case,
        "history": history,
        "form": form,
        "can_record": can_record,
        "today": today_ist(),
    }, status=400 if request.method == "POST" else 200)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_required
@require_GET
def notice(request, pk: int):
    """Return the Hindi notice of demand for the item's case (PDF)."""
    item = _item(request, pk)
    return _pdf(notices.notice_pdf(item.case, today=today_ist()), f"notice-{item.pk}.pdf")


@staff_required
@require_GET
def batch_notices(request):
    """Return the notices of one sub-division's not-closed items, biggest dues first."""
    try:
        unit_id = int(request.GET.get("sub_division", ""))
    except ValueError:
        raise Http404 from None
    unit = get_object_or_404(sub_divisions_visible_to(request.user), pk=unit_id)
    items = flagged_items_of(request.user, sub_division=unit)[: notices.BATCH_LIMIT]
    content = notices.batch_notices_pdf(
        (i.case for i in items.select_related("case__sub_division__parent")),
        today=today_ist(), title=unit.name_hi,
    )
    return _pdf(content, f"notices-{unit.code}.pdf")
