"""Restricted-party lists as versioned snapshots: reference data shared by every organisation
(like the MSC catalog), so no model here belongs to an organisation.

Each load of a list is a `ListSnapshot`; exactly one snapshot per list is active, the newest good
load. Older snapshots stay, so a hit recorded against one can still be shown, and an entry's
`fingerprint` tells whether it changed since.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.screening.loaders import ListName


class RestrictedList(models.TextChoices):
    OFAC_SDN = ListName.OFAC_SDN, _("OFAC Specially Designated Nationals")
    CSL = ListName.CSL, _("Consolidated Screening List")
    DPL = ListName.DPL, _("BIS Denied Persons List")


class EntryKind(models.TextChoices):
    ENTITY = "entity", _("Entity")
    INDIVIDUAL = "individual", _("Individual")
    VESSEL = "vessel", _("Vessel")
    AIRCRAFT = "aircraft", _("Aircraft")
    UNKNOWN = "unknown", _("Unknown")


class AliasType(models.TextChoices):
    NONE = "", _("Name as listed")
    AKA = "aka", _("also known as")
    FKA = "fka", _("formerly known as")
    NKA = "nka", _("now known as")


class ListSnapshot(models.Model):
    """One load of one list: its files (with SHA-256), when and by whom, how many entries."""

    list_name = models.CharField(_("list"), max_length=20, choices=RestrictedList.choices)
    label = models.CharField(_("label"), max_length=100, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A list of {"name": file name, "sha256": hex digest}, one per file loaded.
    source_files = models.JSONField(default=list)
    entry_count = models.PositiveIntegerField(default=0)
    name_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=False)
    # The normaliser that wrote EntryName.normalised (normalise.NORMALISER_VERSION).
    normaliser_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["list_name", "-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_name"],
                condition=models.Q(is_active=True),
                name="one_active_snapshot_per_list",
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.label or self.loaded_at.strftime('%Y-%m-%d %H:%M')}"


class ListEntry(models.Model):
    """A party as one snapshot lists it."""

    snapshot = models.ForeignKey(ListSnapshot, on_delete=models.CASCADE, related_name="entries")
    # The list's own identifier: OFAC's ent_num; for the CSL its entity_number or id; for the
    # DPL one derived from the row (loaders/dpl.py).
    entry_id = models.CharField(_("entry ID"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    name = models.CharField(_("name"), max_length=1000)
    programs = models.JSONField(_("programs"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)  # ISO alpha-2 codes
    addresses = models.TextField(_("addresses"), blank=True)  # one per line
    remarks = models.TextField(_("remarks"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # SHA-256 of the names and identifying fields (loaders.EntryRow.fingerprint): a decision on
    # a hit is reopened when the entry's fingerprint changes in a later snapshot.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["snapshot", "id"]
        indexes = [models.Index(fields=["snapshot", "entry_id"], name="screening_entry_by_id")]
        verbose_name_plural = "list entries"

    def __str__(self) -> str:
        return f"{self.entry_id} {self.name}"


class EntryName(models.Model):
    """A name of an entry: the name as listed, or an alias."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=1000)
    normalised = models.CharField(max_length=1000)
    is_alias = models.BooleanField(default=False)
    alias_type = models.CharField(max_length=3, choices=AliasType.choices, blank=True)

    class Meta:
        ordering = ["entry", "is_alias", "id"]

    def __str__(self) -> str:
        return self.name
