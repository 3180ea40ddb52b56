from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="home"),
    path("dashboard/<slug:unit_code>/", views.dashboard, name="unit"),
    path("dashboard/<slug:unit_code>/table.<str:fmt>", views.export_table, name="export"),
    path("dashboard/<slug:unit_code>/summary.pdf", views.summary_pdf, name="pdf"),
    path("progress/", views.progress, name="progress"),
    path("staff/ledger/unposted/", views.unposted_ledger, name="unposted"),
]
