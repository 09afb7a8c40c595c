"""Field inspections (MSC categories 5, 6 and 8): the checklists an organisation inspects
conveyances with, each its own editable copy of a shipped starter checklist."""

from __future__ import annotations

from typing import ClassVar

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
