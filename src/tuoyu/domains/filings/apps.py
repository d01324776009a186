from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "tuoyu.domains.filings"
    label = "filings"
    verbose_name = "备案"
