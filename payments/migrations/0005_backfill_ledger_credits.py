"""Credit every successful payment already in the ledger (DESIGN §4.2a).

Before the money ledger existed, a registration's money was read from its
successful payments; each one becomes a credit entry and the registration's
``credited`` their sum, so ``audit_ledger`` holds on an upgraded database.
"""

from django.db import migrations
from django.db.models import Sum


def backfill(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    LedgerEntry = apps.get_model("payments", "LedgerEntry")
    Registration = apps.get_model("ots_scheme", "Registration")
    batch = []
    for payment in Payment.objects.filter(status="success").order_by("pk").iterator():
        batch.append(LedgerEntry(
            kind="credit", payment_id=payment.pk, registration_id=payment.registration_id,
            sub_division_id=payment.sub_division_id, amount=payment.amount,
            reference=payment.gateway_reference or payment.receipt_number,
            note="credited before the money ledger (migration)",
        ))
        if len(batch) >= 2000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
    totals = (LedgerEntry.objects.values("registration_id").annotate(total=Sum("amount"))
              .order_by())
    for row in totals.iterator():
        Registration.objects.filter(pk=row["registration_id"]).update(credited=row["total"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0004_ledger_entries_order_expiry"),
        ("ots_scheme", "0005_registration_credited_held"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
