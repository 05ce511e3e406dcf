"""Storage of PamTPS: one ``Database`` class, the tables, and the queries, by area.

This is the only package that speaks SQL. Others hold a ``Session`` (the unit of work that
``Database.session()`` opens) and call the named query functions of the area modules.
"""

from sqlalchemy.orm import Session

from pamtps.store import tables as tables  # registers every table on Base
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
    "Session",
    "load_dataset",
    "load_indicators",
    "save_dataset",
    "summary",
    "upsert_indicators",
    "upsert_personnel",
    "upsert_tps",
]
