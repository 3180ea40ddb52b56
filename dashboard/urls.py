from django.urls import path

from dashboard import feeding_views, views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="home"),
    path("dashboard/<slug:unit_code>/", views.dashboard, name="unit"),
    path("dashboard/<slug:unit_code>/table.<str:fmt>", views.export_table, name="export"),
    path("dashboard/<slug:unit_code>/summary.pdf", views.summary_pdf, name="pdf"),
    path("progress/", views.progress, name="progress"),
    path("staff/feeding/", feeding_views.feeding_list, name="feeding"),
    path("staff/feeding/<slug:division_code>/", feeding_views.feeding_edit,
         name="feeding_edit"),
    path("staff/ledger/unposted/", views.unposted_ledger, name="unposted"),
]
