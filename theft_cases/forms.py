"""Forms of case feeding: single entry / correction, and the bulk upload.

Validation of a case goes through ``theft_cases.rows.parse_row``, the same
rules as the bulk import (DESIGN §5). Forms never save.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row
from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import AmountField
from core.dates import today_ist
from organization.scoping import sub_divisions_visible_to
from theft_cases import import_files, importing
from theft_cases.models import Category, TheftCase, TheftType
from theft_cases.rows import CaseRow, parse_row

SUGGEST = {
    "hx-get": reverse_lazy("theft_cases:compounding_fee"),
    "hx-trigger": "change",
    "hx-include": "closest form",
    "hx-target": "#id_compounding_fee",
    "hx-swap": "outerHTML",
    # Category and load both ask; only the latest answer may land.
    "hx-sync": "closest form:replace",
}
AMOUNT = {"inputmode": "decimal", "autocomplete": "off"}
FIELD_OF_COLUMN = {"sub_division_code": "sub_division"}


class CaseForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=40)
    detection_date = forms.CharField(
        label=_("Detection date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sub_division = forms.ModelChoiceField(label=_("Sub-division"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    father_or_husband_name = forms.CharField(
        label=_("Father's / husband's name"), max_length=200, required=False
    )
    address = forms.CharField(
        label=_("Address of the premises"), widget=forms.Textarea(attrs={"rows": 2})
    )
    account_number = forms.CharField(
        label=_("Account number"), required=False,
        help_text=_("10 to 12 digits; leave empty for direct theft without a connection"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    mobile = forms.CharField(
        label=_("Mobile"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, widget=forms.Select(attrs=SUGGEST)
    )
    theft_type = forms.ChoiceField(label=_("Theft type"), choices=TheftType.choices)
    load_kw = forms.CharField(
        label=_("Load (kW)"), required=False,
        widget=forms.TextInput(attrs={**AMOUNT, **SUGGEST}),
    )
    fir_number = forms.CharField(label=_("FIR number"), max_length=60, required=False)
    police_station = forms.CharField(label=_("Police station"), max_length=120, required=False)
    assessment_amount = AmountField(
        label=_("Assessment (₹)"), help_text=_("e.g. 1,23,456.50"),
    )
    compounding_fee = AmountField(label=_("Compounding fee still due (₹)"), required=False)
    deposited_amount = AmountField(
        label=_("Already deposited against the assessment (₹)"), required=False,
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different case, save it"), required=False
    )

    def __init__(self, *args, user, case: TheftCase | None = None, **kwargs):
        self.case = case
        if case is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(case)
        super().__init__(*args, **kwargs)
        self.fields["sub_division"].queryset = sub_divisions_visible_to(user)
        if case is not None:
            self.fields["case_number"].disabled = True
        self.row: CaseRow | None = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form carries the token
        self.helper.layout = Layout(
            Row(Column("case_number", css_class="col-md-4"),
                Column("detection_date", css_class="col-md-4"),
                Column("sub_division", css_class="col-md-4")),
            Row(Column("name", css_class="col-md-6"),
                Column("father_or_husband_name", css_class="col-md-6")),
            "address",
            Row(Column("account_number", css_class="col-md-6"),
                Column("mobile", css_class="col-md-6")),
            Row(Column("category", css_class="col-md-4"),
                Column("theft_type", css_class="col-md-4"),
                Column("load_kw", css_class="col-md-4")),
            Row(Column("fir_number", css_class="col-md-6"),
                Column("police_station", css_class="col-md-6")),
            Row(Column("assessment_amount", css_class="col-md-4"),
                Column(Field("compounding_fee"),
                       HTML('<div id="compounding-hint" class="form-text"></div>'),
                       css_class="col-md-4 mb-3"),
                Column("deposited_amount", css_class="col-md-4")),
            Div("confirm_duplicate", css_id="confirm-duplicate", css_class="d-none"),
        )

    def ask_to_confirm(self) -> None:
        """Show the "save anyway" box (a possible duplicate was found)."""
        self.helper.layout[-1].css_class = "alert alert-warning"

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        # Unique whatever the capitals (DESIGN §5): "lko/ami/1" is "LKO/AMI/1".
        if self.case is None and TheftCase.objects.filter(case_number__iexact=number).exists():
            raise forms.ValidationError(_("A case with this number is already on the portal."))
        return number

    def clean(self):
        cleaned = super().clean()
        if "sub_division" not in cleaned:
            return cleaned
        # The row rules run even when a field already failed, so every problem
        # shows at once; a field keeps only its first explanation.
        raw = {name: cleaned.get(name, "") for name in self.fields}
        raw["sub_division_code"] = cleaned["sub_division"].code
        if self.case is not None:
            raw["case_number"] = self.case.case_number
        result = parse_row(raw, today=today_ist())
        if isinstance(result, list):
            for error in result:
                field = FIELD_OF_COLUMN.get(error.column, error.column)
                if field in self.errors:
                    continue
                self.add_error(field if field in self.fields else None,
                               importing.reason_text(error.reason))
        elif not self.errors:
            self.row = result
        return cleaned


def initial_for(case: TheftCase) -> dict:
    consumer = case.consumer
    return {
        "case_number": case.case_number,
        "detection_date": case.detection_date.isoformat(),
        "sub_division": case.sub_division_id,
        "name": consumer.name,
        "father_or_husband_name": consumer.father_or_husband_name,
        "address": consumer.address,
        "account_number": consumer.account_number,
        "mobile": consumer.mobile,
        "category": case.category,
        "theft_type": case.theft_type,
        "load_kw": case.load_kw if case.load_kw is not None else "",
        "fir_number": case.fir_number,
        "police_station": case.police_station,
        "assessment_amount": case.assessment_amount,
        "compounding_fee": case.compounding_fee,
        "deposited_amount": case.deposited_amount,
    }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Division list (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.xlsx,text/csv,"
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                str(import_files.FILE_PROBLEMS["too_large"]) % {"limit": limit // (1024 * 1024)}
            )
        # Only the kind of file and its zip directory here: the rows are read
        # in the worker, never in a web request (DESIGN §5).
        try:
            import_files.check_upload(upload.file)
        except import_files.ImportFileError as exc:
            raise forms.ValidationError(exc.message()) from exc
        upload.seek(0)
        return upload
