from django.urls import path

from tuoyu.domains.planning import views

app_name = "planning"
urlpatterns = [
    path("planning/", views.overview, name="overview"),
    path("planning/export.xlsx", views.download, name="export"),
]
