from django.urls import path

from consumers import (
    otp_views,
    recovery_views,
    status_views,
    verify_views,
    views,
    wizard_views,
)

app_name = "consumers"

urlpatterns = [
    path("ots/lookup/", views.lookup, name="lookup"),
    path("ots/otp/start/", otp_views.otp_start, name="otp_start"),
    path("ots/otp/mobile/", otp_views.otp_mobile, name="otp_mobile"),
    path("ots/otp/verify/", otp_views.otp_verify, name="otp_verify"),
    path("ots/otp/resend/", otp_views.otp_resend, name="otp_resend"),
    path("ots/register/", wizard_views.register, {"step": "case"}, name="register_start"),
    path("ots/register/<slug:step>/", wizard_views.register, name="register"),
    path("ots/registration/<str:registration_number>/", status_views.registration,
         name="registration"),
    path("ots/registration/<str:registration_number>/pay/<slug:purpose>/", status_views.pay,
         name="pay"),
    path("ots/status/", status_views.status, name="status"),
    path("ots/status/verify/", status_views.status_verify, name="status_verify"),
    path("verify/<str:code>/", verify_views.verify, name="verify"),
]

urlpatterns += [
    path("ots/finish/", views.finish, name="finish"),
    path("ots/offices/", recovery_views.office_list, name="offices"),
    path("ots/status/case/", recovery_views.recover, name="recover"),
    path("ots/status/case/verify/", recovery_views.recover_verify, name="recover_verify"),
    path("ots/mobile-change/", recovery_views.mobile_change, name="mobile_change"),
    path("ots/mobile-change/verify/", recovery_views.mobile_change_verify,
         name="mobile_change_verify"),
    path("ots/mobile-change/proof/", recovery_views.mobile_change_proof,
         name="mobile_change_proof"),
    path("ots/mobile-change/done/", recovery_views.mobile_change_done,
         name="mobile_change_done"),
]
