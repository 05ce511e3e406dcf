"""Import validation: read user files, check every row against a reference Dataset, and return
domain objects or raise one ImportFailed that lists every problem (file, row, column, value).

Pure functions: nothing here touches the database.
"""

from pamtps.io.indicators_import import Indicators, read_indicators
from pamtps.io.problems import ImportFailed, Problem
from pamtps.io.roster_import import read_roster
from pamtps.io.roster_template import write_roster_template
from pamtps.io.tables import Row, Table, read_table
from pamtps.io.tps_import import read_tps

__all__ = [
    "ImportFailed",
    "Indicators",
    "Problem",
    "Row",
    "Table",
    "read_indicators",
    "read_roster",
    "read_table",
    "read_tps",
    "write_roster_template",
]
