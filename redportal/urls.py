"""URL map of the portal (DESIGN §3). Each app owns its own urls module."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from redportal import staff_views, views
from redportal.login import StaffAdminLoginForm, StaffLoginForm

admin.site.login_form = StaffAdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/", staff_views.staff_home, name="staff_home"),
    # Login and logout only: no e-mail is configured, so no password-reset
    # pages (IT support resets staff passwords in the admin).
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=StaffLoginForm),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Public consumer pages under /ots/.
    path("", include("ots_scheme.urls")),
    path("", include("consumers.urls")),
    path("", include("payments.urls")),
    # Staff pages under /staff/.
    path("", include("theft_cases.urls")),
    path("", include("defaulters.urls")),
    path("", include("ots_scheme.staff_urls")),
    path("", include("consumers.staff_urls")),
    path("", include("dashboard.urls")),
    # SMS delivery reports and the staff page of undelivered SMS.
    path("", include("messaging.urls")),
    # Integration API for machine clients (DESIGN §8).
    path("api/", include("api.urls")),
]
# No static serving of MEDIA_URL, whatever DEBUG says (DESIGN §7): uploaded
# ID documents and import files reach people only through views that check
# who is asking (registrations:document, theft_cases:import_download).
