from django.urls import path

from consumers import staff_views

app_name = "consumers_staff"

urlpatterns = [
    path("staff/mobile-changes/", staff_views.mobile_change_list, name="mobile_change_list"),
    path("staff/mobile-changes/<int:pk>/", staff_views.mobile_change_detail,
         name="mobile_change_detail"),
    path("staff/mobile-changes/<int:pk>/approve/", staff_views.mobile_change_approve_view,
         name="mobile_change_approve"),
    path("staff/mobile-changes/<int:pk>/refuse/", staff_views.mobile_change_refuse_view,
         name="mobile_change_refuse"),
    path("staff/mobile-changes/<int:pk>/document/", staff_views.mobile_change_document,
         name="mobile_change_document"),
]
