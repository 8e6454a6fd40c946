from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path("", views.home, name="home"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
    path("changes/", views.change_list, name="changes"),
    path("about/", views.about, name="about"),
    path("downloads/", views.downloads, name="downloads"),
    path("reports/new/", views.report, name="report"),
]
