"""The company's CTPAT membership: where it stands with CBP (status, tier, the dates the clocks
run from, the account number, mutual recognitions) and each change of status as it happened."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safelane.core.models import TenantModel, TenantQuerySet
from safelane.membership import clocks


class Status(models.TextChoices):
    NOT_APPLIED = clocks.NOT_APPLIED, _("Not applied yet")
    APPLICANT = clocks.APPLICANT, _("Applicant")
    CERTIFIED = clocks.CERTIFIED, _("Certified")
    VALIDATED = clocks.VALIDATED, _("Validated")
    SUSPENDED = clocks.SUSPENDED, _("Suspended")
    REMOVED = clocks.REMOVED, _("Removed")
    WITHDRAWN = clocks.WITHDRAWN, _("Withdrawn")
    APPEAL_PENDING = clocks.APPEAL_PENDING, _("Appeal pending")


class Tier(models.TextChoices):
    NONE = "", _("No tier")
    TIER_1 = "1", _("Tier I (certified)")
    TIER_2 = "2", _("Tier II (validated)")
    TIER_3 = "3", _("Tier III (exceeds the criteria)")


class AppealBasis(models.TextChoices):
    NONE = "", _("Not recorded")
    FALSE_INFORMATION = "false-information", _("False or misleading information (30 days)")
    BENEFITS_DENIED = "benefits-denied", _("Benefits denied (90 days)")


class CtpatMembership(TenantModel):
    """One per organisation, made on its first save."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_APPLIED
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, blank=True)
    account_number = models.CharField(
        _("CTPAT account number"),
        max_length=40,
        blank=True,
        help_text=_("As the CTPAT Portal shows it."),
    )
    mra_programmes = models.JSONField(
        _("mutual recognition"),
        default=list,
        blank=True,
        help_text=_("Foreign programmes that recognise the company (Mexico OEA, Canada PIP, ...)."),
    )
    submitted_on = models.DateField(_("application submitted on"), null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    validated_on = models.DateField(
        _("last validated on"),
        null=True,
        blank=True,
        help_text=_("The last validation or revalidation."),
    )
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    suspension_response_due = models.DateField(
        _("answer to the suspension due"), null=True, blank=True
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    appeal_basis = models.CharField(
        _("grounds of the suspension or removal"),
        max_length=20,
        choices=AppealBasis.choices,
        blank=True,
        help_text=_("They set the time to appeal."),
    )
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    # The anniversary whose review window owners and managers were told of (one e-mail each).
    window_notice_for = models.DateField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_ctpat_membership_per_org")
        ]
        verbose_name = _("CTPAT membership")
        verbose_name_plural = _("CTPAT memberships")

    def __str__(self) -> str:
        return str(_("CTPAT membership"))


class StatusChange(TenantModel):
    """A change of status as recorded: to what, on which date, why and by whom. Never edited."""

    membership = models.ForeignKey(
        CtpatMembership, on_delete=models.CASCADE, related_name="changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    effective_on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.effective_on:%Y-%m-%d}"


class AnnualReview(TenantModel):
    """The officer's affirmation that the security profile was reviewed for one annual cycle
    (the anniversary it is due on). Made outside that cycle's window, it is kept but does not
    count. Never edited."""

    membership = models.ForeignKey(
        CtpatMembership, on_delete=models.CASCADE, related_name="reviews"
    )
    cycle_due = models.DateField(_("review due on"))
    affirmed_on = models.DateField(_("affirmed on"))
    affirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.BooleanField(_("made inside the window"))
    note = models.TextField(_("what changed since the last review"), blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-cycle_due", "-pk"]
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")

    def __str__(self) -> str:
        return f"{_('Annual review')} {self.cycle_due:%Y-%m-%d}"
