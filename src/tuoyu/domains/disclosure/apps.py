from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "tuoyu.domains.disclosure"
    label = "disclosure"
    verbose_name = "信息公示"
