from django.urls import path

from tuoyu.domains.enrollment import views

app_name = "enrollment"
urlpatterns = [
    path("care/", views.find_care, name="find"),
    path("enrolment/mine/", views.mine, name="mine"),
    path("enrolment/applications/<int:pk>/respond/", views.respond, name="respond"),
    path("enrolment/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("enrolment/applications/<int:pk>/employer/", views.confirm_employer, name="confirm_employer"),
    path("enrolment/rounds/", views.rounds, name="rounds"),
    path("enrolment/rounds/<int:pk>/", views.public, name="public"),
    path("enrolment/rounds/<int:pk>/apply/", views.apply, name="apply"),
    path("enrolment/rounds/<int:pk>/manage/", views.manage, name="manage"),
    path("enrolment/rounds/<int:pk>/programs/", views.add_program, name="add_program"),
    path("enrolment/rounds/<int:pk>/<str:action>/", views.act, name="act"),
    path("enrolment/rounds/<int:pk>/files/<str:name>.csv", views.public_file, name="file"),
]
