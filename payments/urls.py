"""URLs of the payments app (mounted at the site root)."""

from django.urls import path

from payments import staff_views, views

app_name = "payments"

urlpatterns = [
    path("payments/checkout/<str:order_id>/", views.checkout, name="checkout"),
    path("payments/return/<str:order_id>/", views.payment_return, name="return"),
    path("payments/callback/", views.callback, name="callback"),
    path("payments/razorpay/callback/<str:order_id>/", views.razorpay_callback,
         name="razorpay_callback"),
    path("payments/webhooks/razorpay/", views.razorpay_webhook, name="razorpay_webhook"),
    path("payments/sandbox/<str:order_id>/", views.sandbox_bank, name="sandbox_bank"),
    path("payments/sandbox/<str:order_id>/status/", views.sandbox_status,
         name="sandbox_status"),
    path("payments/acknowledgement/<str:registration_number>/", views.acknowledgement,
         name="acknowledgement"),
    path("payments/certificate/<str:registration_number>/", views.certificate,
         name="certificate"),
    path("payments/report-missing/", views.report_missing, name="report_missing"),
    path("staff/registrations/<str:registration_number>/counter-payment/",
         staff_views.counter_payment, name="counter_payment"),
    path("staff/registrations/<str:registration_number>/held-money/", staff_views.held_money,
         name="held_money"),
    path("staff/payments/money-checks/", staff_views.money_checks, name="money_checks"),
    path("staff/payments/missing/", staff_views.missing_reports, name="missing_reports"),
    path("staff/payments/missing/<int:pk>/", staff_views.missing_report,
         name="missing_report"),
    path("staff/payments/missing/<int:pk>/recheck/", staff_views.missing_report_recheck,
         name="missing_recheck"),
    path("staff/payments/missing/<int:pk>/resolve/", staff_views.missing_report_resolve,
         name="missing_resolve"),
]
