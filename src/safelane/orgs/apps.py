from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "safelane.orgs"
    label = "orgs"
