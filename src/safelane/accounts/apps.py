from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safelane.accounts"
    label = "accounts"
