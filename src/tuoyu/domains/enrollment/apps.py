from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "tuoyu.domains.enrollment"
    label = "enrollment"
    verbose_name = "入托申请与摇号"
