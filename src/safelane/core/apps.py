from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safelane.core"
    label = "core"
