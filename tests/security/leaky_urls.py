"""A URLconf for the self-test of test_staff_urls: one right view, two wrong."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from organization.scoping import visible_to
from theft_cases.models import TheftCase


@login_required
def scoped(request, case_number):
    get_object_or_404(visible_to(request.user, TheftCase.objects), case_number=case_number)
    return HttpResponse("ok")


@login_required
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
