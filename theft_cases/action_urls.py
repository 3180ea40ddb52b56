"""URLs of the action queue against unregistered defaulters (DESIGN §3: /staff/actions/)."""

from django.urls import path

from theft_cases import action_views

app_name = "actions"

urlpatterns = [
    path("staff/actions/", action_views.queue, name="list"),
    path("staff/actions/notices.pdf", action_views.batch_notices, name="batch_notices"),
    path("staff/actions/<int:pk>/", action_views.detail, name="detail"),
    path("staff/actions/<int:pk>/notice.pdf", action_views.notice, name="notice"),
]
