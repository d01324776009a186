from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "tuoyu.domains.planning"
    label = "planning"
    verbose_name = "规划与统计"
