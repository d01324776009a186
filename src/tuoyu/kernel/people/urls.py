from django.urls import path

from tuoyu.kernel.people import credential_views, views

app_name = "operations"
urlpatterns = [
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("institutions/<int:pk>/findings/", views.institution_findings_view, name="findings"),
    path("institutions/<int:institution_pk>/staff/new/", views.staff_new, name="staff_create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/leave/", views.staff_leave_view, name="staff_leave"),
    path("staff/<int:pk>/records/", credential_views.staff_records, name="staff_records"),
    path("staff/<int:pk>/records/checks/", credential_views.staff_check_new, name="staff_check_new"),
    path(
        "staff/<int:pk>/records/certificates/",
        credential_views.staff_certificate_new,
        name="staff_certificate_new",
    ),
    path("staff/<int:pk>/records/trainings/", credential_views.staff_training_new, name="staff_training_new"),
    path("staff/due/", credential_views.staff_dues, name="staff_dues"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/leave/", views.child_leave_view, name="child_leave"),
    path("children/<int:pk>/invite/", views.child_invite, name="child_invite"),
    path("children/<int:pk>/admission/", views.child_admission, name="child_admission"),
    path("children/link/", views.link_child, name="link_child"),
    path("institutions/<int:institution_pk>/classes/", views.classes, name="classes"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/close/", views.class_close, name="class_close"),
    path("institutions/<int:institution_pk>/children/new/", views.child_new, name="child_enrol"),
]
