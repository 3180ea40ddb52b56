"""The admin never writes a status field (issue 12's one-owner rule, for the admin too).

``tests/core/test_status_owners.py`` reads the source for status writes; a
model admin writes through its form instead, which no source check sees. So
every admin of a model with a ``status`` field either may not change or add
rows, or shows the status read-only: only the owner module moves it.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory


def _admins_with_status():
    for model, model_admin in admin.site._registry.items():
        names = {field.name for field in model._meta.get_fields()}
        if "status" in names:
            yield model, model_admin
        for inline in model_admin.inlines:
            if "status" in {field.name for field in inline.model._meta.get_fields()}:
                yield inline.model, inline(model, admin.site)


@pytest.mark.django_db
def test_no_admin_form_writes_a_status():
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked, writable = [], []
    for model, model_admin in _admins_with_status():
        checked.append(model.__name__)
        for obj in (None, model()):
            allowed = (model_admin.has_add_permission(request, *([] if isinstance(
                model_admin, admin.ModelAdmin) else [obj])) if obj is None
                else model_admin.has_change_permission(request, obj))
            if not allowed:
                continue
            form = model_admin.get_form(request, obj) if isinstance(
                model_admin, admin.ModelAdmin) else model_admin.get_formset(request, obj).form
            if "status" in form.base_fields:
                writable.append(f"{model.__name__} ({'add' if obj is None else 'change'})")
    assert {"TheftCase", "Registration", "Payment", "ActionItem"} <= set(checked)
    assert writable == [], writable
