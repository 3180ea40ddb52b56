"""URLs of the action queue against unregistered defaulters (DESIGN §3: /staff/actions/)."""

from django.urls import path

from defaulters import views

app_name = "actions"

urlpatterns = [
    path("staff/actions/", views.queue, name="list"),
    path("staff/actions/notices.pdf", views.batch_notices, name="batch_notices"),
    path("staff/actions/<int:pk>/", views.detail, name="detail"),
    path("staff/actions/<int:pk>/notice.pdf", views.notice, name="notice"),
]
