from django.urls import include, path

from tuoyu.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("tuoyu.accounts.urls")),
    path("", include("tuoyu.registry.urls")),
    path("", include("tuoyu.operations.urls")),
    path("", include("tuoyu.audit.urls")),
]
