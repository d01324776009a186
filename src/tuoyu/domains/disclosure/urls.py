from django.urls import path

from tuoyu.domains.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("disclosure/", views.today, name="today"),
    path("institutions/<int:pk>/disclosure/", views.institution, name="institution"),
    path("institutions/<int:pk>/fees/", views.fee_new, name="fee_new"),
    path("institutions/<int:pk>/menus/", views.menu, name="menu"),
    path("institutions/<int:pk>/meal-accounts/", views.account_new, name="account_new"),
    path("institutions/<int:pk>/notices/", views.notice_new, name="notice_new"),
    path("fees/<int:pk>/edit/", views.fee_edit, name="fee_edit"),
    path("fees/<int:pk>/withdraw/", views.fee_withdraw, name="fee_withdraw"),
    path("notices/<int:pk>/", views.notice, name="notice"),
]
