from __future__ import annotations

import pytest

from pamtps.store import Database
from tests.service.field.conftest import save_and_publish


@pytest.fixture
def field_plan(db: Database, people: object) -> Database:
    """The toy regency, its personas, and version 1 of the field plan in force (Andi at Hulu)."""
    save_and_publish(db, 1)
    return db
