from django.apps import AppConfig


class TransferConfig(AppConfig):
    """One organisation's data and files as one archive, out of one installation and into
    another: how a consultant hands a client over, and how a client leaves with its data."""

    name = "safelane.transfer"
    label = "transfer"

    def ready(self) -> None:
        from safelane.transfer.services import register

        register()
