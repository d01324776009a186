from django.urls import path

from tuoyu.kernel.audit import views

app_name = "audit"
urlpatterns = [path("audit/", views.trail, name="trail")]
