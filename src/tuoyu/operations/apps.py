from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tuoyu.operations"
    label = "operations"
    verbose_name = "机构日常运营"
