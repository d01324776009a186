from django.urls import path

from tuoyu.domains.cameras import api, views

app_name = "cameras"
urlpatterns = [
    path("cameras/", views.today, name="today"),
    path("institutions/<int:pk>/cameras/", views.institution, name="institution"),
    path("institutions/<int:pk>/cameras/day/", views.day, name="day"),
    path("institutions/<int:pk>/cameras/new/", views.camera_new, name="new"),
    path("institutions/<int:pk>/cameras/live-view/", views.live_view, name="live_view"),
    path("institutions/<int:pk>/cameras/key/", views.key, name="key"),
    path("cameras/<int:pk>/edit/", views.camera_edit, name="edit"),
    path("cameras/<int:pk>/retire/", views.camera_retire_view, name="retire"),
    path("api/v1/cameras/status/", api.status, name="api_status"),
]
