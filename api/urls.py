"""URLs of the integration API (DESIGN §3, §8): /api/v1/…, /api/schema/, /api/docs/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("v1/cases/", views.CaseCollection.as_view(), name="cases"),
    # Case numbers hold "/": the path converter takes the decoded number whole.
    path("v1/cases/<path:case_number>/", views.CaseDetail.as_view(), name="case"),
    path("v1/ledger/", views.LedgerFeed.as_view(), name="ledger"),
    path("v1/ledger/<int:seq>/posting/", views.LedgerPosting.as_view(), name="posting"),
    path("v1/dues/", views.DuesFeed.as_view(), name="dues"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
