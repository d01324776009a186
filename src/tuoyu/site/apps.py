from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tuoyu.site"
    label = "site"
    verbose_name = "平台"
