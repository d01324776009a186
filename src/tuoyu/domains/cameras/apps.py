from django.apps import AppConfig


class CamerasConfig(AppConfig):
    name = "tuoyu.domains.cameras"
    label = "cameras"
    verbose_name = "视频监控"
