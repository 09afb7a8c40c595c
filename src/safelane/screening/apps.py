from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safelane.screening"
    label = "screening"
