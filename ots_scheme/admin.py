from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from ots_scheme.models import Phase, Registration, Scheme
from ots_scheme.services import unfrozen_registrations
from ots_scheme.tasks import recompute_scheme_quotes


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "eligible_from", "eligible_to", "is_demo", "is_active")
    inlines = [PhaseInline]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name="ots_scheme_scheme_recompute",
            ),
            *super().get_urls(),
        ]

    def response_change(self, request, obj):
        # DESIGN §4.2: a change of phases re-quotes only registrations not yet
        # fee-paid; the administrator confirms before the batch is queued.
        url = reverse("admin:ots_scheme_scheme_recompute", args=[obj.pk])
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("If the phases or fees changed, re-compute the quotes of registrations "
                  "not yet fee-paid."),
                url,
                _("Re-compute quotes…"),
            ),
            messages.WARNING,
        )
        return super().response_change(request, obj)

    def recompute_view(self, request, object_id):
        """Confirm, then queue the batch re-quote of a scheme's unfrozen registrations."""
        scheme = get_object_or_404(Scheme, pk=object_id)
        if not self.has_change_permission(request, scheme):
            raise PermissionDenied
        if request.method == "POST":
            transaction.on_commit(lambda: recompute_scheme_quotes.delay(scheme.pk))
            self.message_user(
                request,
                _("Re-computing the quotes of %(scheme)s has been queued.")
                % {"scheme": scheme.code},
                messages.SUCCESS,
            )
            return redirect("admin:ots_scheme_scheme_change", scheme.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "scheme": scheme,
            "title": _("Re-compute quotes of %(scheme)s") % {"scheme": scheme.code},
            "unfrozen_count": unfrozen_registrations().filter(scheme=scheme).count(),
            "phases": scheme.phases.order_by("number"),
        }
        return TemplateResponse(request, "admin/ots_scheme/scheme/recompute.html", context)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("registration_number", "case", "scheme", "status", "total_payable",
                    "registration_fee", "balance")
    list_filter = ("status", "scheme")
    search_fields = ("registration_number", "case__case_number", "mobile")
    raw_id_fields = ("case", "assisted_by", "verified_by", "rejected_by")
    # Status and money change only through ots_scheme.lifecycle and the
    # payments ledger (DESIGN §4.2a): read-only here.
    readonly_fields = (
        "status", "held_reason", "held_applied_by", "held_applied_at", "credited",
        "phase", "phase_number", "payable_percent", "assessment", "assessment_payable",
        "waiver", "compounding_fee", "deposited", "total_payable", "registration_fee",
        "balance", "balance_due_date", "quoted_on", "frozen_at", "fee_paid_at",
        "verified_at", "verified_by", "settled_at", "lapsed_at", "rejected_at", "rejected_by",
    )
