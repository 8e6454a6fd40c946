from django.urls import path

from . import views

app_name = "countries"
urlpatterns = [
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("corridors/", views.corridor_list, name="corridors"),
    path("corridors/<str:origin>-<str:destination>/", views.corridor_detail, name="corridor"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<slug:key>/", views.agreement_detail, name="agreement"),
]
