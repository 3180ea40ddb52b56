"""The staff landing page: links into the officer's jurisdiction (project level).

It counts work owned by several apps, so it lives in the project, which may
import any app.
"""

from django.shortcuts import render

from consumers.queries import pending_mobile_changes
from defaulters.queries import escalated_count, is_senior
from organization.scoping import staff_required, user_unit
from payments.queries import missing_reports


@staff_required
def staff_home(request):
    """Land an officer on their work: links into their jurisdiction."""
    context = {"unit": user_unit(request.user)}
    # Defaulters: escalated action items, for the Executive Engineer and above.
    if is_senior(request.user):
        context["escalated_actions"] = escalated_count(request.user)
    context["open_missing_reports"] = missing_reports(request.user).count()
    context["pending_mobile_changes"] = pending_mobile_changes(request.user).count()
    return render(request, "staff_home.html", context)
