from django.urls import path

from tuoyu.domains.health import views

app_name = "health"
urlpatterns = [
    path("health/today/", views.today, name="today"),
    path("institutions/<int:institution_pk>/health/", views.day, name="day"),
    path("classes/<int:pk>/check/", views.check, name="check"),
    path("health/alerts/", views.alerts, name="alerts"),
    path("health/alerts/<int:pk>/report/", views.alert_report, name="alert_report"),
    path("health/certificates/<int:pk>/", views.certificate, name="certificate"),
]
