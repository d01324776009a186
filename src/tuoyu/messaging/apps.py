from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tuoyu.messaging"
    label = "messaging"
    verbose_name = "消息推送"
