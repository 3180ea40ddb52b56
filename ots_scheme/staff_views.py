"""Staff pages for registrations: list, detail, verify, reject, assisted registration.

Every read goes through ``organization.scoping.visible_to``: another unit's
registration or case answers 404 exactly like a missing one (DESIGN §7).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clientip import client_ip
from common.language import active_language
from common.uploads import upload_drop, upload_keep, upload_open
from core.dates import today_ist
from messaging import otp, sms_templates
from messaging.models import OtpPurpose
from organization.scoping import staff_required, visible_to
from ots_scheme import lifecycle
from ots_scheme.models import Registration, Scheme
from ots_scheme.queries import open_scheme
from ots_scheme.registrations import RegistrationError, registration_create
from ots_scheme.staff_forms import AssistedForm, ConsentOtpForm, RegistrationFilterForm, RejectForm
from theft_cases.models import TheftCase

ASSISTED = "ots_assisted"
TMP_DIR = "tmp/assisted"


def _registrations(user):
    return visible_to(user, Registration.objects.select_related(
        "case", "scheme", "sub_division", "assisted_by"))


def _get(user, registration_number: str) -> Registration:
    return get_object_or_404(_registrations(user), registration_number=registration_number)


@staff_required
@require_http_methods(["GET"])
def registration_list(request):
    form = RegistrationFilterForm(request.GET or None, user=request.user)
    queryset = form.apply(_registrations(request.user)).order_by("-created_at", "-pk")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ots_scheme/staff/list.html",
                  {"form": form, "page": page, "query": query.urlencode()})


def _counter_payment_url(number: str) -> str:
    try:
        return reverse("payments:counter_payment", args=[number])
    except NoReverseMatch:
        return ""


@staff_required
@require_http_methods(["GET"])
def registration_detail(request, registration_number: str):
    registration = _get(request.user, registration_number)
    return render(request, "ots_scheme/staff/detail.html", {
        "registration": registration,
        "payments": registration.payments.order_by("-created_at"),
        # "Money taken, not shown" reports of this registration (payments app).
        "missing_reports": registration.missing_reports.order_by("-created_at"),
        "history": registration.history.select_related("history_user")[:20],
        "reject_form": RejectForm(),
        "counter_payment_url": _counter_payment_url(registration_number),
    })


@staff_required
@require_POST
def verify(request, registration_number: str):
    registration = _get(request.user, registration_number)
    try:
        lifecycle.registration_verify(registration=registration, officer=request.user)
    except RegistrationError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Registration verified."))
    return redirect(registration)


@staff_required
@require_POST
def reject(request, registration_number: str):
    registration = _get(request.user, registration_number)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for rejecting."))
        return redirect(registration)
    try:
        lifecycle.registration_reject(registration=registration, officer=request.user,
                            reason=form.cleaned_data["reason"])
    except RegistrationError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Registration rejected; the person is told by SMS."))
    return redirect(registration)


@staff_required
@require_http_methods(["GET"])
def document(request, registration_number: str, kind: str):
    """Serve the ID document or consent of a registration inside the jurisdiction."""
    registration = _get(request.user, registration_number)
    field = {"id": registration.id_document, "consent": registration.consent_document}.get(kind)
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True,
                        filename=f"{registration_number}-{kind}{_suffix(field.name)}")


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


# --- Assisted registration -----------------------------------------------------


def _keep(upload) -> dict | None:
    return upload_keep(upload, folder=TMP_DIR) if upload else None


def _drop(session) -> None:
    state = session.pop(ASSISTED, None) or {}
    for key in ("id_document", "consent_document"):
        if state.get(key):
            upload_drop(state[key])


def _create(request, state: dict):
    """Make the registration for the person; return a redirect either way."""
    case = get_object_or_404(visible_to(request.user, TheftCase.objects.all()),
                             pk=state["case_id"])
    scheme = get_object_or_404(Scheme, pk=state["scheme_id"])
    id_document = upload_open(state.get("id_document"))
    consent_document = upload_open(state.get("consent_document"))
    try:
        registration = registration_create(
            case=case, scheme=scheme, mobile=state["mobile"], declaration_accepted=True,
            assisted_by=request.user, id_document=id_document,
            consent_document=consent_document, **state["details"],
        )
    except RegistrationError as err:
        messages.error(request, err.message)
        return redirect("registrations:assisted")
    finally:
        for handle in (id_document, consent_document):
            if handle is not None:
                handle.close()
        _drop(request.session)
    messages.success(request, _("Registration %(number)s made on the person's behalf.")
                     % {"number": registration.registration_number})
    return redirect(registration)


@staff_required
@require_http_methods(["GET", "POST"])
def assisted(request):
    """Register a walk-in person: the same details, consent by OTP or signed form."""
    form = AssistedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        case = visible_to(request.user, TheftCase.objects.select_related("consumer")).filter(
            case_number__iexact=form.cleaned_data["case_number"].strip()).first()
        scheme = open_scheme(today_ist())
        if case is None:
            form.add_error("case_number", _("No case with this number in your jurisdiction."))
        elif scheme is None:
            form.add_error(None, _("No settlement scheme is open for registration today."))
        else:
            _drop(request.session)
            state = {
                "case_id": case.pk, "scheme_id": scheme.pk,
                "mobile": form.cleaned_data["mobile"], "details": form.details(),
                "id_document": _keep(form.cleaned_data.get("id_document")),
                "consent_document": _keep(form.cleaned_data.get("consent_document")),
            }
            request.session[ASSISTED] = state
            if not state["mobile"]:
                return _create(request, state)
            return _send_consent(request, state, case)
    return render(request, "ots_scheme/staff/assisted.html", {"form": form})


def _send_consent(request, state: dict, case: TheftCase):
    officer = request.user.get_full_name() or request.user.get_username()
    try:
        sent = otp.otp_send(
            mobile=state["mobile"], purpose=OtpPurpose.ASSISTED, subject=case.case_number,
            template=sms_templates.ASSISTED_CONSENT,
            variables={"officer": officer, "case": case.case_number},
            language=active_language(),
            client_ip=client_ip(request),
        )
    except otp.OtpError as err:
        messages.error(request, err.message)
        return redirect("registrations:assisted")
    state.update(challenge_id=sent.challenge_id, case_number=case.case_number)
    request.session[ASSISTED] = state
    messages.success(request, _("An OTP has been sent to the person's mobile ending "
                                "%(last4)s.") % {"last4": state["mobile"][-4:]})
    return redirect("registrations:assisted_consent")


@staff_required
@require_http_methods(["GET", "POST"])
def assisted_consent(request):
    state = request.session.get(ASSISTED) or {}
    if not state.get("challenge_id"):
        return redirect("registrations:assisted")
    form = ConsentOtpForm(request.POST or None)
    if request.method == "POST" and form.verified(
            challenge_id=state["challenge_id"], purpose=OtpPurpose.ASSISTED,
            subject=state["case_number"]):
        return _create(request, state)
    return render(request, "ots_scheme/staff/assisted_consent.html",
                  {"form": form, "case_number": state.get("case_number"),
                   "last4": state.get("mobile", "")[-4:]})
