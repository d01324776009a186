from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tuoyu.domains.health"
    label = "health"
    verbose_name = "卫生保健"
