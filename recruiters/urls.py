from django.urls import path

from . import views

app_name = "recruiters"
urlpatterns = [
    path("licence-check/", views.licence_check, name="licence_check"),
]
