from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("permits/", views.permit_list, name="permits"),
    path("permits/<slug:code>/", views.permit_detail, name="permit"),
]
