from django.urls import path

from ots_scheme import views

app_name = "ots_scheme"

urlpatterns = [
    path("ots/calculator/", views.calculator, name="calculator"),
]
