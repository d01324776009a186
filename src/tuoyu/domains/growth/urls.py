from django.urls import path

from tuoyu.domains.growth import views

app_name = "growth"
urlpatterns = [
    path("growth/today/", views.today, name="today"),
    path("institutions/<int:institution_pk>/growth/", views.institution, name="institution"),
    path("classes/<int:pk>/growth/", views.care_class, name="class"),
    path("children/<int:pk>/growth/", views.child, name="child"),
]
