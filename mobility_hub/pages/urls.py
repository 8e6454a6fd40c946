from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("permits/", views.permit_list, name="permits"),
    path("permits/<slug:code>/", views.permit_detail, name="permit"),
    path("corridors/", views.corridor_list, name="corridors"),
    path("corridors/<str:origin>-<str:destination>/", views.corridor_detail, name="corridor"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<slug:key>/", views.agreement_detail, name="agreement"),
    path("licence-check/", views.licence_check, name="licence_check"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
    path("changes/", views.change_list, name="changes"),
]
