from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "tuoyu.domains.attendance"
    label = "attendance"
    verbose_name = "考勤与接送"
