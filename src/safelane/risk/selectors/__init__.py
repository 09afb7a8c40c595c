"""Reads of risk assessments, by concept: the map, threats, vulnerabilities, scoring, the page
and its reports, comparison with last year's, and when the next one is due. Other apps and the
pages use the names gathered here."""

from safelane.risk.selectors.comparison import CHANGE_KINDS, Difference, changed_fields, compare
from safelane.risk.selectors.map import MapLine, MapPoint, SupplyChainMap, chain_map, legs, nodes
from safelane.risk.selectors.page import (
    AssessmentView,
    LegCell,
    LegRow,
    RiskRow,
    ThreatCell,
    ThreatRow,
    VulnerabilityRow,
    action_origin,
    assessment_view,
    risk_rows,
)
from safelane.risk.selectors.reminders import (
    DUE_SOON,
    REMINDER_DAYS,
    assessment_to_remind,
    assessments,
    dashboard_tile,
    due_state,
    newest,
    people_to_remind,
    reminder_due,
    road_progress,
)
from safelane.risk.selectors.scoring import (
    CATEGORY_THREATS,
    SECURITY_THREATS,
    HeatCell,
    Risk,
    band,
    heat_map,
    risks,
)
from safelane.risk.selectors.search import search_results
from safelane.risk.selectors.threats import (
    country_levels,
    leg_threat_records,
    leg_threats,
    threats,
)
from safelane.risk.selectors.vulnerabilities import (
    CATEGORIES,
    category_names,
    suggested_levels,
    vulnerabilities,
)

__all__ = [
    "CATEGORIES",
    "CATEGORY_THREATS",
    "CHANGE_KINDS",
    "DUE_SOON",
    "REMINDER_DAYS",
    "SECURITY_THREATS",
    "AssessmentView",
    "Difference",
    "HeatCell",
    "LegCell",
    "LegRow",
    "MapLine",
    "MapPoint",
    "Risk",
    "RiskRow",
    "SupplyChainMap",
    "ThreatCell",
    "ThreatRow",
    "VulnerabilityRow",
    "action_origin",
    "assessment_to_remind",
    "assessment_view",
    "assessments",
    "band",
    "category_names",
    "chain_map",
    "changed_fields",
    "compare",
    "country_levels",
    "dashboard_tile",
    "due_state",
    "heat_map",
    "leg_threat_records",
    "leg_threats",
    "legs",
    "newest",
    "nodes",
    "people_to_remind",
    "reminder_due",
    "risk_rows",
    "risks",
    "road_progress",
    "search_results",
    "suggested_levels",
    "threats",
    "vulnerabilities",
]
