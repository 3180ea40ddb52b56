"""The peer of the import bench: django-import-export (bench-only, requirements-bench.txt).

Its documented fastest configurations ("Bulk imports" in its docs: ``use_bulk``
with a ``batch_size``, ``skip_diff``, no instance lookups for a create-only
load with ``force_init_instance``, ``CachedInstanceLoader`` for an upsert, and
foreign keys resolved without a query per row), plus the glue our model
needs: each case has a consumer row, created (or updated) in bulk just before
the cases of its batch, and ``fed_at`` / ``fed_by``. It applies none of our
rules (DESIGN §5) and writes no history; it is here to be measured beside
ours in the same run, not used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import tablib
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from organization.models import OrgUnit, UnitKind
from theft_cases.models import TheftCase

CONSUMER = TheftCase._meta.get_field("consumer").related_model
PERSON_FIELDS = ("name", "father_or_husband_name", "address", "mobile", "account_number")


class CachedUnitWidget(widgets.ForeignKeyWidget):
    """Sub-division by code from one dict, not one query per row."""

    def __init__(self):
        super().__init__(OrgUnit, field="code")
        self.units = {u.code: u for u in OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION)}

    def clean(self, value, row=None, **kwargs):
        return self.units.get(value)


class RupeeWidget(widgets.DecimalWidget):
    """``1,23,456.50`` → Decimal (the widget reads no Indian grouping)."""

    def clean(self, value, row=None, **kwargs):
        return Decimal(str(value).replace(",", "")) if value not in (None, "") else Decimal(0)


class LoadWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        return Decimal(value) if value not in (None, "") else None


class CaseResource(resources.ModelResource):
    sub_division = fields.Field(attribute="sub_division", column_name="sub_division_code")
    detection_date = fields.Field(attribute="detection_date", column_name="detection_date",
                                  widget=widgets.DateWidget(format="%d-%m-%Y"))
    load_kw = fields.Field(attribute="load_kw", column_name="load_kw", widget=LoadWidget())
    assessment_amount = fields.Field(attribute="assessment_amount",
                                     column_name="assessment_amount", widget=RupeeWidget())
    compounding_fee = fields.Field(attribute="compounding_fee", column_name="compounding_fee",
                                   widget=RupeeWidget())
    deposited_amount = fields.Field(attribute="deposited_amount",
                                    column_name="deposited_amount", widget=RupeeWidget())

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.fields["sub_division"].widget = CachedUnitWidget()
        self.user = user
        self.now = timezone.now()

    class Meta:
        model = TheftCase
        fields = ("case_number", "detection_date", "sub_division", "category", "theft_type",
                  "load_kw", "fir_number", "police_station", "assessment_amount",
                  "compounding_fee", "deposited_amount")
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    # --- The glue: the consumer of each case, fed_at / fed_by -------------------

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        person = instance.consumer if instance.consumer_id else CONSUMER()
        for name in PERSON_FIELDS:
            setattr(person, name, (row.get(name) or "").strip())
        instance._person = person
        if instance.pk is None:
            instance.fed_at, instance.fed_by = self.now, self.user

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None,
                    result=None):
        if self.create_instances:
            people = CONSUMER.objects.bulk_create([i._person for i in self.create_instances])
            for instance, person in zip(self.create_instances, people, strict=True):
                instance.consumer = person
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None,
                    result=None):
        if self.update_instances:
            CONSUMER.objects.bulk_update([i._person for i in self.update_instances],
                                         PERSON_FIELDS)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)


class CreateOnlyResource(CaseResource):
    """Every row a new case: no lookups (``force_init_instance``)."""

    class Meta(CaseResource.Meta):
        force_init_instance = True


class UpsertResource(CaseResource):
    """Idempotent on ``case_number``: all instances loaded once (``CachedInstanceLoader``)."""

    class Meta(CaseResource.Meta):
        import_id_fields = ("case_number",)
        instance_loader_class = CachedInstanceLoader

    def get_queryset(self):
        return TheftCase.objects.select_related("consumer")


def peer_import(path, *, user, upsert: bool) -> dict:
    """Import the CSV at ``path``; return rows, created, updated and errors."""
    with open(path, encoding="utf-8-sig") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv")
    resource = (UpsertResource if upsert else CreateOnlyResource)(user=user)
    result = resource.import_data(dataset, dry_run=False, raise_errors=True,
                                  use_transactions=True)
    totals = result.totals
    return {"rows": len(dataset), "created": totals.get("new", 0),
            "updated": totals.get("update", 0), "errors": len(result.row_errors()),
            "finished": dt.datetime.now().isoformat()}
