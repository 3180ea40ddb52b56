from django.urls import path

from messaging import staff_views, views

app_name = "messaging"

urlpatterns = [
    path("messaging/dlr/<slug:provider>/", views.dlr, name="dlr_callback"),
    path("staff/messages/", staff_views.message_list, name="staff_messages"),
    path("staff/messages/<int:pk>/resend/", staff_views.message_resend, name="resend"),
]
