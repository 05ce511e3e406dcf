"""The pre-screen weighs the village indicators and names the ones that drove each rank."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pamtps.domain import VulnerabilityClass
from pamtps.domain.plan import Scenario
from pamtps.planner.classify import classify
from pamtps.planner.prescreen import INDICATOR_KEYS, WEIGHTS, prescreen
from tests.planner.toy import (
    KOTA_HULU,
    PASAR_HILIR,
    TALANG_1,
    TALANG_JAUH,
    UJUNG_2,
    UJUNG_HILIR,
    VIOLENT,
    toy_scenario,
)


def with_indicators(scenario: Scenario, indicators: dict) -> Scenario:
    return Scenario(replace(scenario.dataset, indicators=indicators), scenario.operation)


def by_tps(scenario: Scenario) -> dict:
    return {s.tps: s for s in prescreen(scenario)}


def test_drivers_are_ordered_by_weighted_component_not_by_rank() -> None:
    """Ujung Hilir 002 is the farthest desa from a road (percentile 0.94) but travel (0.81 at
    weight 0.30) outweighs it (weight 0.17); sparseness (0.78 at 0.12) comes last."""
    roads = {KOTA_HULU: 10.0, PASAR_HILIR: 20.0, TALANG_JAUH: 30.0, UJUNG_HILIR: 4000.0}
    scenario = with_indicators(toy_scenario(), {d: {"jarak_jalan": v} for d, v in roads.items()})
    score = by_tps(scenario)[UJUNG_2]
    assert score.components["jarak_jalan"] == pytest.approx(15 / 16)
    assert score.components["travel_minutes"] == pytest.approx(13 / 16)
    assert score.components["sparseness"] == pytest.approx(12.5 / 16)
    assert [key for key, _ in score.drivers] == ["travel_minutes", "jarak_jalan", "sparseness"]
    values = dict(score.drivers)
    assert values["jarak_jalan"] == 4000.0
    assert values["sparseness"] == pytest.approx(20.0)  # 40 km2 for 2 TPS
    assert values["travel_minutes"] == pytest.approx(score.minutes_from_base)


def test_an_easy_tps_has_no_drivers() -> None:
    """Kota Hulu 006, next to its Polsek in a dense desa close to a road, is driven by nothing."""
    roads = {KOTA_HULU: 10.0, PASAR_HILIR: 20.0, TALANG_JAUH: 30.0, UJUNG_HILIR: 4000.0}
    scenario = with_indicators(toy_scenario(), {d: {"jarak_jalan": v} for d, v in roads.items()})
    assert by_tps(scenario)[VIOLENT].drivers == []


def test_less_electricity_is_harder() -> None:
    """A desa with 60 % of households electrified drives its TPS; 100 % drives no one."""
    shares = {KOTA_HULU: 100.0, PASAR_HILIR: 100.0, TALANG_JAUH: 100.0, UJUNG_HILIR: 60.0}
    scenario = with_indicators(
        toy_scenario(), {d: {"persentase_elektrifikasi": v} for d, v in shares.items()}
    )
    scores = by_tps(scenario)
    assert ("persentase_elektrifikasi", 60.0) in scores[UJUNG_2].drivers
    assert "persentase_elektrifikasi" not in dict(scores[TALANG_1].drivers)


def test_unknown_signal_code_is_not_a_driver() -> None:
    """PODES code 0 (unknown) is no signal value at all: it neither drives nor counts as 'none'."""
    codes = {KOTA_HULU: 1.0, PASAR_HILIR: 1.0, TALANG_JAUH: 0.0, UJUNG_HILIR: 4.0}
    scenario = with_indicators(
        toy_scenario(), {d: {"jenis_sinyal_internet": v} for d, v in codes.items()}
    )
    scores = by_tps(scenario)
    assert scores[TALANG_1].components["jenis_sinyal_internet"] == 0.5
    assert "jenis_sinyal_internet" not in dict(scores[TALANG_1].drivers)
    assert ("jenis_sinyal_internet", 4.0) in scores[UJUNG_2].drivers


def test_a_scenario_without_indicators_ranks_as_before() -> None:
    """No indicators: travel and sparseness alone, and the description is unchanged."""
    first = prescreen(toy_scenario())[0]
    assert set(first.components) == {"travel_minutes", "sparseness"}
    assert first.describe().startswith("rank 1 of 17 hardest to reach (26.5 km from Polsek Hulu")


def rawan(scenario: Scenario) -> set[str]:
    """The rawan TPS (OKU has no Bawaslu indicators: these are the pre-screen's)."""
    classes, _ = classify(scenario)
    return {code for code, cls in classes.items() if cls is VulnerabilityClass.RAWAN}


def test_oku_rawan_tps_are_chosen_with_the_bundled_indicators(oku: Scenario) -> None:
    """OKU's dataset carries PODES values for its 157 desa; the 20 pre-screened rawan TPS each
    name at least one PODES indicator among their drivers."""
    assert len(oku.dataset.indicators) == 157
    n = oku.operation.classification.prescreen_rawan
    top = prescreen(oku)[:n]
    assert n == 20 and rawan(oku) == {s.tps for s in top}
    for score in top:
        assert set(dict(score.drivers)) & set(INDICATOR_KEYS), score
        weighted = [score.components[key] * WEIGHTS[key] for key, _ in score.drivers]
        assert weighted == sorted(weighted, reverse=True)


def test_oku_rawan_tps_differ_without_the_indicators(oku: Scenario) -> None:
    """Switching the indicators off (travel and sparseness alone) picks another set of 20."""
    with_podes = rawan(oku)
    without = rawan(with_indicators(oku, {}))
    assert len(with_podes) == len(without) == 20
    assert with_podes != without



