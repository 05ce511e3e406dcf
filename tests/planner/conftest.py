"""Fixtures of the planner tests: the tiny regency (see ``tiny.py``), its hand-made plan, OKU."""

from __future__ import annotations

import pytest

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import OKU_FIGURES, generate_roster
from pamtps.domain.plan import Plan, Scenario
from pamtps.io.operation_file import bundled_operation, load_operation
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


@pytest.fixture(scope="session")
def oku() -> Scenario:
    """OKU 2024 with its synthetic roster (627 Polres, 59 BKO, 80 Brimob, 30 TNI)."""
    dataset = load_dataset("oku-2024")
    officers, units = generate_roster(dataset, OKU_FIGURES)
    return Scenario(dataset.with_personnel(officers, units), load_operation(bundled_operation()))


@pytest.fixture(scope="session")
def oku_plan(oku: Scenario) -> Plan:
    """The planner's plan for OKU, made once per run (it takes seconds)."""
    from pamtps.planner.solve import plan

    return plan(oku)
