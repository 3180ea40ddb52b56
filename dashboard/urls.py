from django.urls import path

from dashboard import staff_views, views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", staff_views.dashboard, name="home"),
    path("dashboard/<slug:unit_code>/", staff_views.dashboard, name="unit"),
    path("dashboard/<slug:unit_code>/table.<str:fmt>", staff_views.export_table, name="export"),
    path("dashboard/<slug:unit_code>/summary.pdf", staff_views.summary_pdf, name="pdf"),
    path("progress/", views.progress, name="progress"),
    path("staff/feeding/", staff_views.feeding_list, name="feeding"),
    path("staff/feeding/<slug:division_code>/", staff_views.feeding_edit,
         name="feeding_edit"),
    path("staff/ledger/unposted/", staff_views.unposted_ledger, name="unposted"),
]
