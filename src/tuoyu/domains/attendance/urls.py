from django.urls import path

from tuoyu.domains.attendance import views

app_name = "attendance"
urlpatterns = [
    path("attendance/today/", views.today, name="today"),
    path("institutions/<int:institution_pk>/attendance/", views.institution, name="institution"),
    path("classes/<int:pk>/attendance/", views.class_day, name="class_day"),
    path("children/<int:pk>/arrive/", views.arrive, name="arrive"),
    path("children/<int:pk>/absent/", views.absent, name="absent"),
    path("children/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("children/<int:pk>/depart/", views.depart, name="depart"),
    path("pickups/", views.pickups, name="pickups"),
    path("pickups/<int:pk>/revoke/", views.pickup_revoke, name="pickup_revoke"),
]
