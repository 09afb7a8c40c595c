from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet

DUE_SOON_DAYS = 14


class Source(models.TextChoices):
    GAP = "gap", _("Gap in the self-assessment")
    RISK = "risk", _("Risk assessment")
    FINDING = "finding", _("Validation finding")
    INCIDENT = "incident", _("Incident")
    PARTNER = "partner", _("Business partner follow-up")
    AD_HOC = "ad-hoc", _("Other")


class Kind(models.TextChoices):
    TRAINING = "training", _("Training")
    PHYSICAL = "physical", _("Physical security upgrade")
    IT = "it", _("IT upgrade")
    PROCEDURE = "procedure", _("Procedure or process change")
    PARTNER = "partner", _("Partner follow-up")
    MONITORING = "monitoring", _("Monitoring")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in-progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Recurrence(models.TextChoices):
    NONE = "", _("Does not repeat")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")


class ActionQuerySet(TenantQuerySet):
    def active(self) -> ActionQuerySet:
        return self.filter(archived_at__isnull=True)

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self) -> ActionQuerySet:
        return self.open().filter(due_date__lt=timezone.localdate())

    def due_soon(self) -> ActionQuerySet:
        today = timezone.localdate()
        return self.open().filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )


class Action(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("comes from"), max_length=20, choices=Source.choices, default=Source.AD_HOC
    )
    # What it treats, when it came from somewhere: a gap (an answer), a risk (a vulnerability
    # rating), later a finding or an incident. The kinds are registered by their apps
    # (`actions.origins`), so this app refers to none of them.
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    verification_required = models.BooleanField(
        _("verified by a second person"),
        default=False,
        help_text=_(
            "Work that closes a Must criterion is checked by someone other than its owner."
        ),
    )
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROCEDURE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # Who marked it done: they cannot also verify it.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_note = models.TextField(_("how it was done"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    recurrence = models.CharField(
        _("repeats"), max_length=10, choices=Recurrence.choices, blank=True, default=""
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    evidence_links = GenericRelation(
        "evidence.EvidenceLink", content_type_field="subject_type", object_id_field="subject_id"
    )

    objects: ClassVar[ActionQuerySet] = ActionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_date", "-priority", "pk"]
        indexes = [models.Index(fields=["origin_type", "origin_id"])]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_state(self) -> str:
        if not self.is_open or self.due_date is None:
            return ""
        today = timezone.localdate()
        if self.due_date < today:
            return "overdue"
        return "soon" if (self.due_date - today).days <= DUE_SOON_DAYS else ""

    @property
    def needs_verification(self) -> bool:
        """Actions that close a Must criterion are checked by a second person."""
        return self.verification_required


class ProgressNote(TenantModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    # The status the action was moved to with this note, if it came with a status change.
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, blank=True, default=""
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:40]


class CostCategory(models.TextChoices):
    LABOUR = "labour", _("Internal labour")
    CONSULTING = "consulting", _("Consulting fees")
    TECHNOLOGY = "technology", _("Technology and infrastructure (one-off)")
    ONGOING = "ongoing", _("Ongoing compliance (per year)")


class CostKind(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate")
    ACTUAL = "actual", _("Actual")


class CostLine(TenantModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    kind = models.CharField(
        _("estimate or actual"), max_length=10, choices=CostKind.choices, default=CostKind.ESTIMATE
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    rate = models.ForeignKey(
        "LabourRate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("role rate"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    date = models.DateField(
        _("date"), help_text=_("When it is spent or expected; it places the cost in a quarter.")
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class LabourRate(TenantModel):
    role = models.CharField(_("role"), max_length=100)
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role"], name="one_rate_per_role")
        ]
        verbose_name = _("labour rate")
        verbose_name_plural = _("labour rates")

    def __str__(self) -> str:
        # In the reader's number format, as the rate appears in the cost form's list.
        return f"{self.role} ({number_format(self.hourly_rate, 2)}/h)"


class BenefitMetric(models.TextChoices):
    EXAMS = "exams", _("CBP exams")
    BORDER_HOURS = "border-hours", _("Hours waiting at the border")
    SHIPMENTS = "shipments", _("Shipments")
    OTHER = "other", _("Other")


class Benefit(TenantModel):
    metric = models.CharField(_("what"), max_length=20, choices=BenefitMetric.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    before_certification = models.BooleanField(_("before certification"), default=False)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["metric", "period_start"]
        verbose_name = _("benefit record")
        verbose_name_plural = _("benefit records")

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.period_start} to {self.period_end}: {self.value}"
