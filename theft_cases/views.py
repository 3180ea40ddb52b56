"""Staff pages of case feeding: list, detail, single entry, bulk import.

Thin: check the officer, call one query or service, render or redirect.
Cases come only from ``visible_to`` (through ``theft_cases.queries``), so
another unit's case answers 404 exactly like a missing one.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from common.exports import csv_response, xlsx_response
from common.language import active_language
from common.pagination import BoundedLazyPaginator
from core.dates import today_ist
from organization.scoping import staff_required, visible_to
from theft_cases import importing, queries, services
from theft_cases.compounding import suggest_compounding_fee
from theft_cases.filters import CaseFilter
from theft_cases.forms import CaseForm, ImportUploadForm
from theft_cases.models import ImportStatus, TheftCase
from theft_cases.rows import COLUMNS, parse_load
from theft_cases.tables import CaseTable

EXPORT_LIMIT = 200_000


def _filtered(request):
    cases = queries.case_list(request.user)
    return CaseFilter(request.GET or None, queryset=cases, user=request.user)


@staff_required
@require_GET
def case_list(request):
    case_filter = _filtered(request)
    cases = case_filter.qs
    table = CaseTable(cases)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": BoundedLazyPaginator}
                  ).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "theft_cases/case_list.html", {
        "filter": case_filter, "table": table, "totals": queries.case_totals(cases),
        "query": query.urlencode(),
    })


@staff_required
@require_GET
def case_export(request, fmt: str):
    cases = _filtered(request).qs.order_by("case_number")[:EXPORT_LIMIT]
    rows = queries.export_rows(cases)
    stamp = today_ist().isoformat()
    if fmt == "xlsx":
        return xlsx_response(filename=f"theft-cases-{stamp}.xlsx",
                             header=queries.EXPORT_HEADER, rows=rows, title="cases")
    return csv_response(filename=f"theft-cases-{stamp}.csv", header=queries.EXPORT_HEADER,
                        rows=rows)


@staff_required
@require_GET
def case_detail(request, case_number: str):
    case = queries.case_detail(request.user, case_number)
    return render(request, "theft_cases/case_detail.html", {
        "case": case, "history": queries.case_history(case),
    })


def _duplicates(form):
    row = form.row
    found = list(queries.possible_duplicates(
        case_number=row.case_number, account_number=row.account_number,
        name=row.name, address=row.address,
    ))
    visible = set(visible_to(form.user, TheftCase.objects.filter(
        pk__in=[c.pk for c in found])).values_list("pk", flat=True))
    return [(case, case.pk in visible) for case in found]


def _case_form_page(request, *, case: TheftCase | None):
    form = CaseForm(request.POST or None, user=request.user, case=case)
    form.user = request.user
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates(form)
        if duplicates and not form.cleaned_data["confirm_duplicate"]:
            form.ask_to_confirm()
        else:
            try:
                if case is None:
                    saved = services.case_feed(user=request.user, row=form.row)
                    messages.success(request, _("Case %(number)s fed.") %
                                     {"number": saved.case_number})
                else:
                    saved = services.case_update(user=request.user, case_id=case.pk,
                                                 row=form.row)
                    messages.success(request, _("Case %(number)s saved.") %
                                     {"number": saved.case_number})
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(saved)
    return render(request, "theft_cases/case_form.html", {
        "form": form, "case": case, "duplicates": duplicates,
        "latest_date": today_ist(),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    return _case_form_page(request, case=None)


@staff_required
@require_http_methods(["GET", "POST"])
def case_edit(request, case_number: str):
    case = queries.case_for_staff(request.user, case_number)
    return _case_form_page(request, case=case)


@staff_required
@require_GET
def compounding_fee(request):
    """Return the compounding-fee input pre-filled from the Section 152 table."""
    current = request.GET.get("compounding_fee", "")
    load = None
    try:
        if request.GET.get("load_kw", "").strip():
            load = parse_load(request.GET["load_kw"])
    except ValueError:
        load = None
    suggested = suggest_compounding_fee(request.GET.get("category", ""), load)
    value = f"{suggested:.2f}" if isinstance(suggested, Decimal) else current
    return render(request, "theft_cases/_compounding_fee.html", {
        "value": value, "suggested": suggested,
    })


# --- Bulk import -------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_import = services.import_upload(
                user=request.user, uploaded_file=form.cleaned_data["file"],
                language=active_language(),
            )
        except ValidationError as exc:  # e.g. the background service is down
            form.add_error(None, exc)
        else:
            return redirect("theft_cases:import_detail", pk=case_import.pk)
    imports = queries.imports_visible_to(request.user)[:50]
    return render(request, "theft_cases/import_list.html", {"form": form, "imports": imports})


def _import_context(request, pk):
    case_import = queries.import_for_staff(request.user, pk)
    progress = services.import_progress(case_import)
    total = case_import.total_rows
    percent = min(100, round(100 * progress / total)) if total else 0
    return {
        "imp": case_import,
        "progress": progress,
        "percent": percent,
        "can_confirm": case_import.uploaded_by_id == request.user.pk
        or request.user.is_superuser,
        "running": case_import.status in (
            ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING
        ),
        "rejections": [
            {**importing.describe_rejection(entry), "case_number": entry.get("case_number")}
            for entry in case_import.rejected_rows
        ],
    }


@staff_required
@require_GET
def import_detail(request, pk: int):
    return render(request, "theft_cases/import_detail.html", _import_context(request, pk))


@staff_required
@require_GET
def import_progress(request, pk: int):
    """The status panel, polled by htmx every second while the job runs."""
    return render(request, "theft_cases/_import_status.html", _import_context(request, pk))


@staff_required
@require_POST
def import_apply(request, pk: int):
    case_import = queries.import_for_staff(request.user, pk)
    try:
        services.import_confirm(user=request.user, case_import_id=case_import.pk,
                                language=active_language())
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    return redirect("theft_cases:import_detail", pk=case_import.pk)


@staff_required
@require_POST
def import_cancel(request, pk: int):
    case_import = queries.import_for_staff(request.user, pk)
    try:
        services.import_cancel(user=request.user, case_import_id=case_import.pk)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    return redirect("theft_cases:import_detail", pk=case_import.pk)


@staff_required
@require_GET
def import_download(request, pk: int, what: str):
    case_import = queries.import_for_staff(request.user, pk)
    stored = case_import.file if what == "file" else case_import.error_report
    if not stored or not stored.storage.exists(stored.name):
        # A record whose file was removed from storage: nothing to hand out.
        raise Http404
    name = case_import.original_name if what == "file" else f"errors-{case_import.pk}.csv"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


EXAMPLES = [
    ["LKO/AMN/2023/0123", "15-06-2023", "1234567890", "राम कुमार", "श्याम लाल",
     "12/4, अमीनाबाद, लखनऊ", "9876543210", "aminabad-1", "LMV-1", "direct", "2",
     "FIR 45/2023", "APTS Lucknow", "1,23,456.50", "8000", "0"],
    ["LKO/AMN/2023/0124", "2023-08-02", "", "Mohd. Irfan", "Abdul Rahman",
     "Near Naka Chauraha, Lucknow", "", "aminabad-1", "NC", "bypass", "",
     "", "", "45000", "", "5000"],
]


@staff_required
@require_GET
def import_template(request, fmt: str):
    """The header row and two example rows, as CSV or XLSX."""
    if fmt == "xlsx":
        return xlsx_response(filename="case-import-template.xlsx", header=COLUMNS,
                             rows=EXAMPLES, title="cases")
    return csv_response(filename="case-import-template.csv", header=COLUMNS, rows=EXAMPLES)
