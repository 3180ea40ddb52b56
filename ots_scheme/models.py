"""Settlement schemes as data (DESIGN §4.1) and consumers' registrations (§4.3).

The engine in ``ots_scheme/settlement.py`` reads only these rows: another
scheme (another year, other percentages) needs no code change.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.language import active_language

MONEY = {"max_digits": 14, "decimal_places": 2}


class BalanceDeadline(models.TextChoices):
    PHASE_END = "phase_end", _("Last day of the registration's phase")
    SCHEME_END = "scheme_end", _("Last day of the scheme")


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200)
    eligible_from = models.DateField(_("eligible detections from"))
    eligible_to = models.DateField(_("eligible detections to"))
    min_registration_fee = models.DecimalField(
        _("minimum registration fee (₹)"), default=Decimal("2000"), **MONEY
    )
    registration_percent = models.DecimalField(
        _("registration fee (% of assessment)"), max_digits=5, decimal_places=2,
        default=Decimal("10"),
    )
    balance_deadline = models.CharField(
        _("balance due by"), max_length=12, choices=BalanceDeadline.choices,
        default=BalanceDeadline.PHASE_END,
    )
    flag_after_days = models.PositiveSmallIntegerField(
        _("flag unregistered cases after (days)"), default=15
    )
    is_demo = models.BooleanField(_("demo scheme"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_from__lte=F("eligible_to")),
                name="scheme_eligibility_window_ordered",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def name(self) -> str:
        return self.name_en if active_language() == "en" else self.name_hi


class Phase(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("phase"))
    starts_on = models.DateField(_("registration from"))
    ends_on = models.DateField(_("registration to"))
    payable_percent = models.DecimalField(
        _("payable (% of assessment)"), max_digits=5, decimal_places=2
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="phase_number_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="phase_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(payable_percent__gte=0) & Q(payable_percent__lte=100),
                name="phase_percent_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.scheme.code} phase {self.number}"


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (fee not paid)")
    FEE_PAID = "fee_paid", _("Registration fee paid")
    VERIFIED = "verified", _("Verified")
    SETTLED = "settled", _("Settled")
    LAPSED = "lapsed", _("Lapsed")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired (fee not paid in 48 hours)")


# The sets of statuses that mean something, defined once (STYLE.md) and
# offered on ``Registration`` too. Live: at most one per case and scheme.
LIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.FEE_PAID,
    RegistrationStatus.VERIFIED,
    RegistrationStatus.SETTLED,
)
# Fee paid: the settlement is frozen (DESIGN §4.2a).
FEE_PAID_REGISTRATION_STATUSES = (
    RegistrationStatus.FEE_PAID,
    RegistrationStatus.VERIFIED,
    RegistrationStatus.SETTLED,
    RegistrationStatus.LAPSED,
)
FROZEN_REGISTRATION_STATUSES = FEE_PAID_REGISTRATION_STATUSES
# Waiting for the balance: fee paid, not settled, not lapsed.
BALANCE_DUE_REGISTRATION_STATUSES = (RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED)
SETTLED_REGISTRATION_STATUSES = (RegistrationStatus.SETTLED,)


class HeldReason(models.TextChoices):
    """Why money credited to a registration waits for staff (DESIGN §4.2a).

    Held money is never settled silently nor lost: an SDO (or above) applies
    it or records its refund (``ots_scheme.lifecycle``).
    """

    NONE = "", _("—")
    NO_PHASE_OPEN = "no_phase_open", _("Fee paid on a day no phase was open")
    NOT_LIVE = "not_live", _("Paid for a registration that is not live")
    LATE_BALANCE = "late_balance", _("Balance paid after the deadline")
    EXCESS = "excess", _("Paid more than the total payable")


class IdProofType(models.TextChoices):
    AADHAAR = "aadhaar", _("Aadhaar")
    VOTER_ID = "voter_id", _("Voter ID")
    PAN = "pan", _("PAN card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PASSPORT = "passport", _("Passport")
    RATION_CARD = "ration_card", _("Ration card")


class Registration(models.Model):
    JURISDICTION_FIELD = "sub_division"
    LIVE_STATUSES = LIVE_REGISTRATION_STATUSES
    FEE_PAID_STATUSES = FEE_PAID_REGISTRATION_STATUSES
    BALANCE_DUE_STATUSES = BALANCE_DUE_REGISTRATION_STATUSES
    SETTLED_STATUSES = SETTLED_REGISTRATION_STATUSES

    registration_number = models.CharField(_("registration number"), max_length=24, unique=True)
    case = models.ForeignKey(
        "theft_cases.TheftCase", on_delete=models.PROTECT, related_name="registrations"
    )
    # Read on (scheme, status) and (sub_division, status) below: an index of
    # their own would be one more entry per row the nightly lapse rewrites.
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="registrations",
                               db_index=False)
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="registrations",
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )

    # What the person declared.
    applicant_name = models.CharField(_("name"), max_length=200)
    father_or_husband_name = models.CharField(
        _("father's / husband's name"), max_length=200, blank=True
    )
    address = models.TextField(_("address of the premises"))
    mobile = models.CharField(_("mobile"), max_length=10)
    email = models.EmailField(_("email"), blank=True)
    id_proof_type = models.CharField(
        _("ID proof"), max_length=20, choices=IdProofType.choices, blank=True
    )
    id_proof_last4 = models.CharField(_("last 4 digits of ID"), max_length=4, blank=True)
    id_document = models.FileField(_("ID document"), upload_to="id-documents/%Y/%m/", blank=True)
    declaration_accepted = models.BooleanField(_("declaration accepted"), default=False)
    identity_check_required = models.BooleanField(
        _("identity to be verified by JE/SDO"), default=False,
        help_text=_("The mobile was not on record for the case."),
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assisted_registrations", verbose_name=_("registered by officer"),
    )
    consent_document = models.FileField(upload_to="consents/%Y/%m/", blank=True)
    # The language the person registered in: every later SMS (fee paid,
    # settled, rejected, expired) is sent in it. Hindi first (DESIGN §1).
    language = models.CharField(_("language for SMS"), max_length=2,
                                choices=[("hi", "हिन्दी"), ("en", "English")], default="hi",
                                db_default="hi")  # rows written by set-based SQL too

    # The quote (DESIGN §4.2); frozen when the registration fee is paid.
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, null=True, blank=True)
    phase_number = models.PositiveSmallIntegerField(null=True, blank=True)
    payable_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    assessment = models.DecimalField(_("assessment"), null=True, blank=True, **MONEY)
    assessment_payable = models.DecimalField(null=True, blank=True, **MONEY)
    waiver = models.DecimalField(_("waiver"), null=True, blank=True, **MONEY)
    compounding_fee = models.DecimalField(null=True, blank=True, **MONEY)
    deposited = models.DecimalField(null=True, blank=True, **MONEY)
    total_payable = models.DecimalField(_("total payable"), null=True, blank=True, **MONEY)
    registration_fee = models.DecimalField(
        _("registration fee"), null=True, blank=True, **MONEY
    )
    balance = models.DecimalField(_("balance"), null=True, blank=True, **MONEY)
    balance_due_date = models.DateField(_("balance due by"), null=True, blank=True)
    quoted_on = models.DateField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    # Money actually credited (Σ of the payments ledger's entries for this
    # registration): balance due = total payable − credited (DESIGN §4.2a).
    # Written only by ``ots_scheme.lifecycle`` with the ledger entry.
    credited = models.DecimalField(_("credited"), default=Decimal("0"),
                                   db_default=Decimal("0"), **MONEY)
    held_reason = models.CharField(
        _("held for staff"), max_length=16, choices=HeldReason.choices, blank=True,
        default="", db_default="",
    )
    # The officer who applied held money (an explicit decision, DESIGN §4.2a):
    # the audit accepts a phase or a settlement that staff decided.
    held_applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("held money applied by"),
    )
    held_applied_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    fee_paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    settled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(blank=True)
    # History rows are read by ``id`` (a registration's page, the admin)
    # ordered by ``history_date`` only; the nightly lapse writes one per
    # lapsed registration, and each index simple-history would copy is a
    # write per row. Its user is checked by the ORM, not a constraint per row.
    history = HistoricalRecords(
        no_db_index=["registration_number", "case", "scheme", "sub_division", "assisted_by",
                     "phase", "held_applied_by", "created_at", "fee_paid_at", "verified_by",
                     "settled_at", "rejected_by"],
        user_db_constraint=False,
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            # DESIGN §4.3: at most one live registration per case per scheme.
            models.UniqueConstraint(
                fields=["case", "scheme"],
                condition=Q(status__in=LIVE_REGISTRATION_STATUSES),
                name="one_live_registration_per_case_scheme",
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(fields=["sub_division", "status"]),
        ]

    def __str__(self):
        return self.registration_number

    def get_absolute_url(self):
        return reverse(
            "registrations:detail",
            kwargs={"registration_number": self.registration_number},
        )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_fee_paid(self) -> bool:
        return self.status in FEE_PAID_REGISTRATION_STATUSES

    @property
    def balance_due(self) -> Decimal:
        """Return what is still to pay: frozen total − money credited, never below 0."""
        if self.total_payable is None:
            return Decimal("0.00")
        return max(Decimal("0.00"), self.total_payable - self.credited)

    @property
    def identity_unverified(self) -> bool:
        """The person proved only a mobile of their own and no officer has yet
        checked who they are (DESIGN §7): they see the case masked, and the
        case's owner may displace this registration."""
        return self.identity_check_required and self.verified_at is None


# Live registrations that do not block the case's owner (DESIGN §7): see
# ``Registration.identity_unverified``; settled is final whoever paid.
DISPLACEABLE = Q(identity_check_required=True, verified_at__isnull=True) & ~Q(
    status=RegistrationStatus.SETTLED)
