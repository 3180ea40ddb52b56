"""The payment ledger: online gateway payments and counter receipts.

A payment moves initiated → pending → success / failed / expired, only on a
verified gateway callback or a status query (or a counter receipt entered by
staff). ``PaymentEvent`` rows are appended, never changed: the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 14, "decimal_places": 2}


class PaymentPurpose(models.TextChoices):
    REGISTRATION_FEE = "registration_fee", _("Registration fee")
    BALANCE = "balance", _("Balance")


class PaymentStatus(models.TextChoices):
    INITIATED = "initiated", _("Initiated")
    PENDING = "pending", _("Pending")
    SUCCESS = "success", _("Successful")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class PaymentMode(models.TextChoices):
    ONLINE = "online", _("Online")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    DD = "dd", _("Demand draft")


class Payment(models.Model):
    JURISDICTION_FIELD = "sub_division"

    order_id = models.CharField(max_length=40, unique=True)
    registration = models.ForeignKey(
        "ots_scheme.Registration", on_delete=models.PROTECT, related_name="payments"
    )
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="payments"
    )
    purpose = models.CharField(_("for"), max_length=20, choices=PaymentPurpose.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices,
        default=PaymentStatus.INITIATED,
    )
    mode = models.CharField(
        _("mode"), max_length=8, choices=PaymentMode.choices, default=PaymentMode.ONLINE
    )
    gateway = models.CharField(max_length=32, blank=True)
    gateway_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # DESIGN §4.2a: a fee order carries the quote of its IST day and asks the
    # gateway to expire at the end of that day.
    expires_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            # A callback delivered twice credits once (DESIGN §7).
            models.UniqueConstraint(
                fields=["gateway", "gateway_reference"],
                condition=~Q(gateway_reference=""),
                name="payment_gateway_reference_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # A counter receipt is entered once, however often the form is sent.
            models.UniqueConstraint(
                fields=["mode", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="payment_receipt_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.order_id} {self.amount} {self.status}"


class PaymentEvent(models.Model):
    """An append-only record of everything heard about a payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.payment.order_id} {self.kind}"


class LedgerKind(models.TextChoices):
    CREDIT = "credit", _("Credit")
    REFUND = "refund", _("Refund")


class LedgerEntry(models.Model):
    """Money credited to a registration or refunded from it: the money ledger.

    Every successful payment has exactly one credit entry (a partial unique
    constraint); a refund recorded by staff is an entry of its own, with the
    bank's reference. ``Registration.credited`` is the sum of a
    registration's entries (credits minus refunds), which ``audit_ledger``
    checks. Entries are appended, never changed.
    """

    JURISDICTION_FIELD = "sub_division"

    kind = models.CharField(_("kind"), max_length=8, choices=LedgerKind.choices)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger_entries")
    registration = models.ForeignKey(
        "ots_scheme.Registration", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Gap-free, commit-ordered number for billing (DESIGN §8); assigned after
    # commit by the ledger sequencer, so it is empty until then.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="credit"),
                name="ledger_one_credit_per_payment",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} ({self.payment_id})"

    @property
    def signed_amount(self):
        return self.amount if self.kind == LedgerKind.CREDIT else -self.amount


class LedgerAuditRun(models.Model):
    """The result of one ``audit_ledger`` run, kept for the dashboard (DESIGN §4.2a)."""

    ran_at = models.DateTimeField(auto_now_add=True, db_index=True)
    checked = models.PositiveIntegerField(default=0)
    violations = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("money check")
        verbose_name_plural = _("money checks")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.violations}"


class SandboxStatus(models.TextChoices):
    SUCCESS = "success", _("Successful")
    FAILED = "failed", _("Failed")
    PENDING = "pending", _("Pending")


class SandboxTransaction(models.Model):
    """What the sandbox "bank" knows about an order: its own truth.

    The status-query endpoint of the sandbox gateway answers from these rows,
    never from ``Payment``, so reconciliation is tested against a record the
    portal's ledger does not control.
    """

    order_id = models.CharField(max_length=40, unique=True)
    bank_reference = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=SandboxStatus.choices)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sandbox bank transaction")
        verbose_name_plural = _("sandbox bank transactions")

    def __str__(self):
        return f"{self.order_id} {self.status}"


class MissingPaymentReport(models.Model):
    """A consumer's report that money was taken but the registration does not show it."""

    registration = models.ForeignKey(
        "ots_scheme.Registration", on_delete=models.PROTECT, related_name="missing_reports"
    )
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="+"
    )
    bank_reference = models.CharField(_("bank reference"), max_length=64)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    found = models.BooleanField(_("payment found"), default=False)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    # Staff close a report once the person's money is accounted for: found
    # and credited, refunded by the bank, or taken at the counter.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("resolved by"),
    )
    resolution = models.CharField(_("what was done"), max_length=500, blank=True, default="",
                                  db_default="")
    history = HistoricalRecords()

    JURISDICTION_FIELD = "sub_division"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("missing-payment report")
        verbose_name_plural = _("missing-payment reports")

    def __str__(self):
        return f"{self.registration_id} {self.bank_reference}"


class RazorpayOrder(models.Model):
    """The Razorpay order made for one of our payments (Razorpay's Orders API).

    Razorpay names its orders itself (``order_…``); webhooks and the checkout
    return carry only that id, so this row maps it back to our order, with
    the amount Razorpay confirmed when it made the order.
    """

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT,
                                   related_name="razorpay_order")
    razorpay_order_id = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(**MONEY)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Razorpay order")
        verbose_name_plural = _("Razorpay orders")

    def __str__(self):
        return f"{self.razorpay_order_id} → {self.payment_id}"


class RefusedCallbackTally(models.Model):
    """How many gateway callbacks were refused on a day, and why (issue 17).

    An unsigned or unreadable callback changes nothing; storing each one as
    an event let anyone grow the ledger without bound by naming an order. A
    refused callback now adds one to its day's row (per reason); the log
    line keeps the detail.
    """

    day = models.DateField()
    reason = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("refused callbacks (per day)")
        verbose_name_plural = _("refused callbacks (per day)")
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="refused_callback_day_reason"),
        ]

    def __str__(self):
        return f"{self.day} {self.reason}: {self.count}"


# The billing feed's rows (DESIGN §8), defined in their own module.
from payments.feed_models import LedgerPosting, LedgerSequence  # noqa: E402, F401
