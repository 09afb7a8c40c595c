"""Field inspections (MSC categories 5, 6 and 8): the checklists an organisation inspects
conveyances with, each its own editable copy of a shipped starter checklist."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet


def _spanish() -> bool:
    return (get_language() or "").startswith("es")


class Conveyance(models.TextChoices):
    """What a checklist inspects; the codes are an interface (the shipped data, the API)."""

    CONTAINER = "container", _("Container or ULD")
    REEFER = "reefer", _("Refrigerated container")
    TRACTOR_TRAILER = "tractor-trailer", _("Tractor and trailer")
    AGRICULTURAL = "agricultural", _("Agricultural and pest contamination")
    SEAL = "seal", _("Seal")


class Section(models.TextChoices):
    NONE = "", _("Whole conveyance")
    TRACTOR = "tractor", _("Tractor")
    TRAILER = "trailer", _("Trailer")


class ChecklistQuerySet(TenantQuerySet):
    def live(self) -> ChecklistQuerySet:
        return self.filter(archived_at__isnull=True)


class Checklist(TenantModel):
    """A checklist template: the points an inspector goes through, in order."""

    key = models.SlugField(
        _("short name"), max_length=60, help_text=_("Stays the same when the title changes.")
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    description = models.TextField(_("when it is used"), blank=True)
    description_es = models.TextField(_("when it is used, in Spanish"), blank=True)
    conveyance = models.CharField(_("inspects"), max_length=30, choices=Conveyance.choices)
    supervisor_signoff = models.BooleanField(
        _("a supervisor signs off"),
        default=False,
        help_text=_("The inspection is complete only once a supervisor co-signs it (5.5)."),
    )
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[ChecklistQuerySet] = ChecklistQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_checklist_per_key")
        ]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return self.title_es if _spanish() and self.title_es else self.title

    @property
    def shown_description(self) -> str:
        return self.description_es if _spanish() and self.description_es else self.description


class ChecklistPoint(TenantModel):
    """One point of a checklist: what to look at, whether a photo is required, the criteria a
    result on it evidences."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    key = models.SlugField(_("short name"), max_length=60)
    section = models.CharField(
        _("part"), max_length=10, choices=Section.choices, blank=True, default=""
    )
    title = models.CharField(_("point"), max_length=200)
    title_es = models.CharField(_("point in Spanish"), max_length=200, blank=True)
    look_at = models.TextField(_("what to look at"), blank=True)
    look_at_es = models.TextField(_("what to look at, in Spanish"), blank=True)
    photo_required = models.BooleanField(_("a photo is required"), default=False)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["checklist", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "section", "key"], name="one_point_per_key"
            )
        ]
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist points")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return self.title_es if _spanish() and self.title_es else self.title

    @property
    def shown_look_at(self) -> str:
        return self.look_at_es if _spanish() and self.look_at_es else self.look_at


class Site(TenantModel):
    """A place where inspections are done (a yard, a dock, a gate), with the supervisors who
    co-sign its inspections and hear of its exceptions."""

    name = models.CharField(_("name"), max_length=100)
    supervisors = models.JSONField(
        _("supervisors"),
        default=list,
        blank=True,
        help_text=_(
            "E-mail addresses of members, separated by commas. They sign off inspections and are "
            "told of failed points. Empty: the owners and managers."
        ),
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_site_per_name")
        ]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    @property
    def supervisor_list(self) -> str:
        return ", ".join(self.supervisors) or "—"


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class Inspection(TenantModel):
    """One inspection of a conveyance with a checklist: who, where, when (by the device and by
    the server), what, each point's result and the inspector's signature."""

    client_id = models.UUIDField(
        _("client id"),
        help_text=_("Made by the device that recorded it, so that a resend is the same record."),
    )
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    checklist_title = models.CharField(max_length=200, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    tractor = models.CharField(_("tractor number or plate"), max_length=40, blank=True)
    trailer = models.CharField(_("trailer number or plate"), max_length=40, blank=True)
    container = models.CharField(
        _("container number"),
        max_length=11,
        blank=True,
        help_text=_("ISO 6346: owner code, category, serial and check digit, as ABCU1234560."),
    )
    seals = models.JSONField(_("seal numbers"), default=list, blank=True)
    driver = models.CharField(_("driver"), max_length=150, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_name = models.CharField(_("signed by (name)"), max_length=150)
    device_time = models.DateTimeField(_("time on the device"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("received by Safelane"), editable=False)
    failed = models.PositiveSmallIntegerField(default=0, editable=False)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    needs_signoff = models.BooleanField(default=False, editable=False)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_id"], name="one_inspection_per_client_id"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-recorded_at"]),
            models.Index(fields=["organisation", "container"]),
        ]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.checklist_title} · {self.conveyance_label}"

    @property
    def conveyance_label(self) -> str:
        return " / ".join(v for v in (self.tractor, self.trailer, self.container) if v) or "—"

    @property
    def awaiting_signoff(self) -> bool:
        return self.needs_signoff and self.signed_off_at is None


class PointResult(TenantModel):
    """A point's result, with the point's wording and criteria as they were when inspected."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    point = models.ForeignKey(
        ChecklistPoint, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=10, choices=Section.choices, blank=True)
    title = models.CharField(max_length=200)
    criteria = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("result"), max_length=5, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["inspection", "position", "pk"]
        verbose_name = _("point result")
        verbose_name_plural = _("point results")

    def __str__(self) -> str:
        return f"{self.title}: {self.get_outcome_display()}"


class Photo(TenantModel):
    """A photo of a point, kept as an evidence library document linked to the inspection."""

    result = models.ForeignKey(PointResult, on_delete=models.CASCADE, related_name="photos")
    evidence = models.ForeignKey("evidence.Evidence", on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["result", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return str(self.evidence_id)
