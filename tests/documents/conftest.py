"""Fixtures of the document tests: a hand-made plan for OKU (``oku`` is in tests/conftest.py), so
that the documents are tested apart from the planner."""

from __future__ import annotations

import pytest

from pamtps.domain.plan import Plan, Scenario
from tests.documents.toy_plan import toy_plan


@pytest.fixture(scope="session")
def toy(oku: Scenario) -> Plan:
    """The toy plan for OKU: posts per kecamatan, two officers each."""
    return toy_plan(oku)


@pytest.fixture
def secret() -> bytes:
    """The operation's token key in these tests."""
    return b"test-secret-for-output-tests-only"
