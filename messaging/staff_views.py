"""Staff pages of messaging: failed SMS and OTPs, and sending them again."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messaging import sms
from messaging.models import SmsStatus
from messaging.queries import may_see_messages, troubled_messages
from organization.scoping import staff_required


def _guard(request) -> None:
    if not may_see_messages(request.user):
        raise Http404


@staff_required
def message_list(request):
    _guard(request)
    status = request.GET.get("status", "")
    if status not in ("", SmsStatus.FAILED, SmsStatus.QUEUED):
        status = ""
    page = Paginator(troubled_messages(status=status), 50).get_page(request.GET.get("page"))
    rows = [(m, sms.render(m.template, m.variables, m.language, masked=True))
            for m in page.object_list]
    return render(request, "messaging/staff_messages.html", {
        "page_obj": page, "rows": rows, "status": status,
        "status_query": f"status={status}" if status else "",
    })


@staff_required
@require_POST
def message_resend(request, pk: int):
    _guard(request)
    if troubled_messages().filter(pk=pk).exists() and sms.sms_resend(message_id=pk,
                                                                      user=request.user):
        flash.success(request, _("The SMS has been queued to be sent again."))
    else:
        flash.info(request, _("This SMS is not failed; nothing was sent again."))
    return redirect("messaging:staff_messages")
