from django.urls import path

from consumers import views

app_name = "consumers"

urlpatterns = [
    path("ots/lookup/", views.lookup, name="lookup"),
    path("ots/otp/start/", views.otp_start, name="otp_start"),
    path("ots/otp/mobile/", views.otp_mobile, name="otp_mobile"),
    path("ots/otp/verify/", views.otp_verify, name="otp_verify"),
    path("ots/otp/resend/", views.otp_resend, name="otp_resend"),
    path("ots/register/", views.register, {"step": "case"}, name="register_start"),
    path("ots/register/<slug:step>/", views.register, name="register"),
    path("ots/registration/<str:registration_number>/", views.registration,
         name="registration"),
    path("ots/registration/<str:registration_number>/pay/<slug:purpose>/", views.pay,
         name="pay"),
    path("ots/status/", views.status, name="status"),
    path("ots/status/verify/", views.status_verify, name="status_verify"),
    path("ots/finish/", views.finish, name="finish"),
]
