from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "tuoyu.domains.growth"
    label = "growth"
    verbose_name = "生长监测"
