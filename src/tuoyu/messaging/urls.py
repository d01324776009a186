from django.urls import path

from tuoyu.messaging import views

app_name = "messaging"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
]
