"""The pure domain model of PamTPS.

Nothing in this package imports the database, the web or the CLI: these types are what every
shell (CLI, importer, planner, service) passes around.
"""

from pamtps.domain.areas import Area, AreaLevel
from pamtps.domain.dataset import Dataset
from pamtps.domain.objects import GuardedObject, GuardedObjectKind
from pamtps.domain.operation import ElectionType
from pamtps.domain.personnel import Availability, Officer, Origin, Rank, RankGroup, rank_by_name
from pamtps.domain.tps import Precision, Tps, TpsKind, VulnerabilityClass
from pamtps.domain.units import Unit, UnitType

__all__ = [
    "Area",
    "AreaLevel",
    "Availability",
    "Dataset",
    "ElectionType",
    "GuardedObject",
    "GuardedObjectKind",
    "Officer",
    "Origin",
    "Precision",
    "Rank",
    "RankGroup",
    "Tps",
    "TpsKind",
    "Unit",
    "UnitType",
    "VulnerabilityClass",
    "rank_by_name",
]
