"""A URLconf for the self-tests of test_staff_urls and tests/core/test_architecture:
one right view, two wrong."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from organization.scoping import staff_required, visible_to
from theft_cases.models import TheftCase


@staff_required
def scoped(request, case_number):
    get_object_or_404(visible_to(request.user, TheftCase.objects), case_number=case_number)
    return HttpResponse("ok")


@staff_required
def leaky(request, case_number):
    get_object_or_404(TheftCase.objects, case_number=case_number)
    return HttpResponse("ok")


def public(request, case_number):
    return HttpResponse("ok")


urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/scoped/<path:case_number>/", scoped, name="scoped"),
    path("staff/leaky/<path:case_number>/", leaky, name="leaky"),
    path("staff/public/<path:case_number>/", public, name="public"),
]
