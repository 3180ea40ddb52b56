from django.urls import path

from ots_scheme import staff_views

app_name = "registrations"

urlpatterns = [
    path("staff/registrations/", staff_views.registration_list, name="list"),
    path("staff/registrations/assisted/", staff_views.assisted, name="assisted"),
    path("staff/registrations/assisted/consent/", staff_views.assisted_consent,
         name="assisted_consent"),
    path("staff/registrations/<str:registration_number>/", staff_views.registration_detail,
         name="detail"),
    path("staff/registrations/<str:registration_number>/verify/", staff_views.verify,
         name="verify"),
    path("staff/registrations/<str:registration_number>/reject/", staff_views.reject,
         name="reject"),
    path("staff/registrations/<str:registration_number>/document/<slug:kind>/",
         staff_views.document, name="document"),
]
