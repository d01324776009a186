from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "tuoyu.filings"
    label = "filings"
    verbose_name = "备案"
