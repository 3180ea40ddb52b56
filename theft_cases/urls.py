"""Staff URLs of case feeding (DESIGN §3).

Case numbers hold "/", "-" and spaces, so their segment uses the ``path``
converter; the fixed pages (new, export) and the edit page come first so the
detail pattern does not swallow them.
"""

from django.urls import path

from theft_cases import views

app_name = "theft_cases"

urlpatterns = [
    path("staff/cases/", views.case_list, name="list"),
    path("staff/cases/new/", views.case_create, name="create"),
    path("staff/cases/export/<str:fmt>/", views.case_export, name="export"),
    path("staff/cases/compounding-fee/", views.compounding_fee, name="compounding_fee"),
    path("staff/cases/<path:case_number>/edit/", views.case_edit, name="edit"),
    path("staff/cases/<path:case_number>/", views.case_detail, name="detail"),
    path("staff/imports/", views.import_list, name="imports"),
    path("staff/imports/template.<str:fmt>", views.import_template, name="import_template"),
    path("staff/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("staff/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("staff/imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("staff/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("staff/imports/<int:pk>/<str:what>/", views.import_download,
         name="import_download"),
]
