from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tuoyu.kernel.registry"
    label = "registry"
    verbose_name = "机构登记与备案"
