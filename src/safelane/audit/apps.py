from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Pages, export and API over the audit trail that `core` writes."""

    name = "safelane.audit"
    label = "audit"
