"""Writes of the risk assessment, by concept: starting one from last year's (copying), the map,
the threats and the country table, the vulnerabilities, actions from risks (treatment) and
documenting it. Other apps and the pages use the names gathered here."""

from safelane.risk.selectors.threats import register_threat_hints
from safelane.risk.services.copying import OF_ITS_YEAR, review_interval, start_assessment
from safelane.risk.services.documenting import finalise, flag_change, locked
from safelane.risk.services.map import (
    add_leg,
    add_node,
    delete_leg,
    delete_node,
    update_leg,
    update_node,
)
from safelane.risk.services.threats import (
    LEVEL_CODES,
    STALE,
    Rated,
    delete_country_threat,
    import_country_threats,
    save_country_threat,
    save_threat_grid,
)
from safelane.risk.services.treatment import action_from_risk
from safelane.risk.services.vulnerabilities import (
    RatingsRefusedError,
    refresh_vulnerabilities,
    save_vulnerabilities,
)

__all__ = [
    "LEVEL_CODES",
    "OF_ITS_YEAR",
    "STALE",
    "Rated",
    "RatingsRefusedError",
    "action_from_risk",
    "add_leg",
    "add_node",
    "delete_country_threat",
    "delete_leg",
    "delete_node",
    "finalise",
    "flag_change",
    "import_country_threats",
    "locked",
    "refresh_vulnerabilities",
    "register_threat_hints",
    "review_interval",
    "save_country_threat",
    "save_threat_grid",
    "save_vulnerabilities",
    "start_assessment",
    "update_leg",
    "update_node",
]
