from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from safelane.core.models import TenantModel, TenantQuerySet


class Level(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class ThreatType(models.TextChoices):
    TERRORISM = "terrorism", _("Terrorism")
    CONTRABAND = "contraband", _("Contraband smuggling")
    HUMAN = "human-smuggling", _("Human smuggling")
    ORGANISED_CRIME = "organised-crime", _("Organised crime")
    CONDITIONS = "conditions", _("Local conditions that foster these")
    AGRICULTURAL = "agricultural", _("Agricultural (pests, contamination)")
    CYBER = "cyber", _("Cyber")


def _threat_label(rating: CountryThreat | ThreatRating) -> str:
    return gettext("%(country)s, %(threat)s: %(level)s") % {
        "country": rating.country.name,
        "threat": rating.get_threat_display(),
        "level": rating.get_level_display(),
    }


class RiskAssessment(TenantModel):
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    started_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("Who took part, with their roles.")
    )
    method_note = models.TextField(_("method notes"), blank=True)
    high_from = models.PositiveSmallIntegerField(
        _("high risk from score"),
        default=6,
        help_text=_(
            "Risk is threat times vulnerability, each from 1 to 3. Scores from this value are high."
        ),
    )
    medium_from = models.PositiveSmallIntegerField(_("medium risk from score"), default=3)
    next_due = models.DateField(_("next assessment due"), null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    needs_review = models.TextField(_("needs review because"), blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return self.title


class NodeKind(models.TextChoices):
    OWN = "own", _("Our own facility")
    SUPPLIER = "supplier", _("Supplier or manufacturer")
    CONSOLIDATOR = "consolidator", _("Consolidator or forwarder")
    CARRIER = "carrier", _("Carrier")
    PORT = "port", _("Port or terminal")
    WAREHOUSE = "warehouse", _("Warehouse or 3PL")
    BROKER = "broker", _("Customs broker")
    DISTRIBUTION = "distribution", _("Distribution center")


class Node(TenantModel):
    """A place in the supply chain where cargo is handled or rests, and who runs it."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    operator = models.CharField(
        _("run by"),
        max_length=150,
        blank=True,
        help_text=_("The company, if it is a business partner."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    facility = models.ForeignKey(
        "partners.Facility",
        verbose_name=_("a partner's facility"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The point is this business partner's facility: its questionnaire result suggests "
            "the point's vulnerabilities."
        ),
    )

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("supply-chain point")
        verbose_name_plural = _("supply-chain points")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class Mode(models.TextChoices):
    OCEAN = "ocean", _("Ocean")
    RAIL = "rail", _("Rail")
    TRUCK = "truck", _("Truck")
    AIR = "air", _("Air")


class Leg(TenantModel):
    """Cargo moving from one point to the next: mode, who has custody, where it rests."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="legs")
    flow = models.CharField(
        _("flow"),
        max_length=100,
        help_text=_("Name of the cargo flow, such as 'China to Chicago'."),
    )
    origin = models.ForeignKey(
        Node, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Node, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    custodian = models.CharField(_("custody"), max_length=150, blank=True)
    rests = models.CharField(_("where cargo rests"), max_length=200, blank=True)
    documents = models.CharField(_("data and documents"), max_length=200, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["flow", "pk"]
        verbose_name = _("leg")
        verbose_name_plural = _("legs")

    def __str__(self) -> str:
        return f"{self.origin.name} → {self.destination.name} ({self.get_mode_display()})"


class CountryThreat(TenantModel):
    """The organisation's reusable threat table, so that next year starts from this one."""

    country = CountryField(_("country"))
    threat = models.CharField(_("threat"), max_length=20, choices=ThreatType.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    sources = models.TextField(_("sources consulted"), blank=True)
    assessed_on = models.DateField(_("assessed on"))

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["country", "threat"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "country", "threat"], name="one_country_threat"
            )
        ]
        verbose_name = _("country threat")
        verbose_name_plural = _("country threats")

    @property
    def country_name(self) -> str:
        return str(self.country.name)

    def __str__(self) -> str:
        return gettext("Threat table: %(rating)s") % {"rating": _threat_label(self)}


class ThreatRating(TenantModel):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="threats")
    country = CountryField(_("country"))
    threat = models.CharField(_("threat"), max_length=20, choices=ThreatType.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    sources = models.TextField(_("sources consulted"), blank=True)
    rated_on = models.DateField(_("rated on"))

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "country", "threat"], name="one_threat_rating"
            )
        ]
        verbose_name = _("threat rating")
        verbose_name_plural = _("threat ratings")

    def __str__(self) -> str:
        return _threat_label(self)


class LegThreat(TenantModel):
    """A threat rated for one leg of the journey (a highway with cargo theft, a port with
    smuggling), where it differs from the countries at either end."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="leg_threats"
    )
    leg = models.ForeignKey(Leg, on_delete=models.CASCADE, related_name="threats")
    threat = models.CharField(_("threat"), max_length=20, choices=ThreatType.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leg", "threat"], name="one_leg_threat_rating")
        ]
        verbose_name = _("leg threat rating")
        verbose_name_plural = _("leg threat ratings")

    def __str__(self) -> str:
        return gettext("%(leg)s, %(threat)s: %(level)s") % {
            "leg": self.leg,
            "threat": self.get_threat_display(),
            "level": self.get_level_display(),
        }


class Vulnerability(TenantModel):
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="vulnerabilities"
    )
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.PositiveSmallIntegerField(_("MSC category"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    suggested = models.PositiveSmallIntegerField(choices=Level.choices)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "category"], name="one_vulnerability")
        ]
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")

    def __str__(self) -> str:
        return gettext("%(point)s, MSC category %(category)s: %(level)s") % {
            "point": self.node,
            "category": self.category,
            "level": self.get_level_display(),
        }
