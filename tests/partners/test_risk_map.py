"""Partners on the risk assessment: a map point can be a partner's facility, which fills it and
whose questionnaire result suggests its vulnerabilities and shows on the map; a change to the
country threat table works every partner's tier out again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from safelane.core.errors import DomainError
from safelane.core.models import AuditEntry
from safelane.partners import services
from safelane.partners.models import Partner, RiskTier
from safelane.risk import selectors as risk_selectors
from safelane.risk import services as risk
from safelane.risk.models import Level, Vulnerability
from tests.partners.conftest import partner

TODAY = timezone.localdate()


def plant(cast, name="Aceros del Norte"):
    p = partner(cast, name=name, countries=["MX"])
    return p, services.add_facility(
        org=cast.acme,
        actor=cast.owner,
        partner=p,
        values={"name": "Planta Saltillo", "city": "Saltillo", "country": "MX"},
    )


def test_a_point_from_a_facility_takes_its_name_place_and_partner(cast):
    _partner, facility = plant(cast)
    assessment = risk.start_assessment(org=cast.acme, actor=cast.owner, title="2026", year=2026)
    point = risk.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=assessment,
        values={"facility": facility, "name": "", "kind": "supplier", "country": ""},
    )
    assert (point.name, point.city, point.country.code) == ("Planta Saltillo", "Saltillo", "MX")
    assert point.operator == "Aceros del Norte"
    with pytest.raises(DomainError, match="Give the point a name"):
        risk.add_node(
            org=cast.acme,
            actor=cast.owner,
            assessment=assessment,
            values={"name": "", "kind": "port", "country": "US"},
        )


def test_another_organisations_facility_is_refused(cast):
    _p, facility = plant(cast)
    assessment = risk.start_assessment(org=cast.norte, actor=cast.consultant, title="N", year=2026)
    with pytest.raises(DomainError, match="live partners' facilities"):
        risk.add_node(
            org=cast.norte,
            actor=cast.consultant,
            assessment=assessment,
            values={"facility": facility, "name": "", "kind": "supplier", "country": ""},
        )


def test_the_questionnaire_result_suggests_the_points_vulnerabilities_and_shows_on_the_map(
    cast, as_user
):
    p, facility = plant(cast)
    services.record_assessment(
        org=cast.acme, actor=cast.owner, partner=p, on=TODAY, level=RiskTier.HIGH
    )
    assessment = risk.start_assessment(org=cast.acme, actor=cast.owner, title="2026", year=2026)
    point = risk.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=assessment,
        values={"facility": facility, "name": "", "kind": "supplier", "country": ""},
    )
    levels = set(
        Vulnerability.objects.for_org(cast.acme).filter(node=point).values_list("level", flat=True)
    )
    assert levels == {Level.HIGH}
    view = risk_selectors.assessment_view(cast.acme, assessment)
    [tagged] = view.map.points
    assert (tagged.badge, tagged.badge_level) == ("High", "high")
    page = as_user(cast.viewer).get(reverse("risk:detail", args=[cast.acme.slug, assessment.pk]))
    html = page.content.decode()
    assert reverse("partners:detail", args=[cast.acme.slug, p.pk]) in html
    assert "Questionnaire: High" in html
    assert "security questionnaire accepted on" in html  # the map's tag says what it means


def test_a_new_country_rating_works_every_tier_out_again(cast, django_capture_on_commit_callbacks):
    p = partner(cast, name="Ruta Norte", kind="highway_carrier", countries=["MX"])
    assert "No threat rating yet for Mexico." in " ".join(p.reason_lines)
    with django_capture_on_commit_callbacks(execute=True):
        risk.save_country_threat(
            org=cast.acme,
            actor=cast.owner,
            obj=None,
            expected_version=None,
            values={"country": "MX", "threat": "contraband", "level": 3, "assessed_on": TODAY},
        )
    stored = Partner.objects.for_org(cast.acme).get(pk=p.pk)
    assert "The threat in Mexico is rated high." in " ".join(stored.reason_lines)
    assert stored.next_review == TODAY  # nobody has looked at it yet: still due
    entry = AuditEntry.objects.for_org(cast.acme).for_object(stored).latest("pk")
    assert "tier_reasons" in entry.changes
