from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisations `make run` loads; it writes through the other apps' services."""

    name = "safelane.demo"
    label = "demo"
