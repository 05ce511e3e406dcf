"""Fixtures of the planner tests: the tiny regency (see ``tiny.py``) and its hand-made plan.

OKU and the planner's plan for it (``oku``, ``oku_plan``) are in tests/conftest.py: the document
tests use them too."""

from __future__ import annotations

import pytest

from pamtps.domain.plan import Plan, Scenario
from tests.planner.line_travel import LineTravel
from tests.planner.tiny import tiny_plan, tiny_scenario


@pytest.fixture
def tiny() -> Scenario:
    """The tiny scenario: 6 TPS, 4 posts, 18 people."""
    return tiny_scenario()


@pytest.fixture
def travel() -> LineTravel:
    """100 minutes per degree along the tiny regency's road."""
    return LineTravel()


@pytest.fixture
def good_plan() -> Plan:
    """The tiny plan worked out by hand: every rule holds."""
    return tiny_plan()
