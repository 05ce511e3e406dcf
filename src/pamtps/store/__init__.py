"""Storage of PamTPS: one ``Database`` class, the tables, and domain <-> row conversion."""

from pamtps.store import auth_models as auth_models  # registers the user and audit tables
from pamtps.store import incident_models as incident_models  # liaison codes and incidents
from pamtps.store import operations_models as operations_models  # dispatch, escort, sitrep
from pamtps.store import ops_models as ops_models  # registers the field tables on Base
from pamtps.store.database import Database
from pamtps.store.repository import (
    ChangeCounts,
    load_dataset,
    load_indicators,
    save_dataset,
    summary,
    upsert_indicators,
    upsert_personnel,
    upsert_tps,
)

__all__ = [
    "ChangeCounts",
    "Database",
    "load_dataset",
    "load_indicators",
    "save_dataset",
    "summary",
    "upsert_indicators",
    "upsert_personnel",
    "upsert_tps",
]
