"""The geographic pre-screen: every TPS ranked by how hard it is to reach."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pamtps.planner.prescreen import WEIGHTS, percentile_ranks, prescreen
from tests.planner.toy import (
    KOTA_HULU,
    PASAR_HILIR,
    TALANG_1,
    TALANG_2,
    TALANG_3,
    TALANG_JAUH,
    UJUNG_1,
    UJUNG_2,
    UJUNG_HILIR,
    toy_scenario,
)


def test_prescreen_ranks_the_farthest_tps_first() -> None:
    """Talang Jauh's TPS, farthest from their Polsek in the sparsest desa, lead; 003 first."""
    ranking = prescreen(toy_scenario())
    assert [s.tps for s in ranking[:5]] == [TALANG_3, TALANG_2, TALANG_1, UJUNG_2, UJUNG_1]
    assert [s.rank for s in ranking] == list(range(1, 18))


def test_prescreen_says_where_a_tps_stands() -> None:
    """The description names the rank, the distance, the base and the desa's density."""
    first = prescreen(toy_scenario())[0]
    assert first.describe() == (
        "rank 1 of 17 hardest to reach (26.5 km from Polsek Hulu, desa 0.04 TPS/km2)"
    )


def test_prescreen_breaks_ties_by_tps_code() -> None:
    """Ujung Hilir 002 moved onto 001's spot: equal scores, so 001 ranks first."""
    scenario = toy_scenario()
    spot = next((t.lat, t.lng) for t in scenario.dataset.tps if t.code == UJUNG_1)
    scenario.dataset.tps = [
        replace(t, lat=spot[0], lng=spot[1]) if t.code == UJUNG_2 else t
        for t in scenario.dataset.tps
    ]
    ranking = prescreen(scenario)
    assert [s.tps for s in ranking[3:5]] == [UJUNG_1, UJUNG_2]
    assert ranking[3].score == ranking[4].score


def test_indicators_move_a_tps_up_the_ranking() -> None:
    """Bad village indicators (far from roads, floods, no signal) lift a desa's TPS."""
    bad = {"jarak_jalan": 5000.0, "indeks_bahaya_banjir": 0.9, "indeks_bahaya_longsor": 0.5,
           "persentase_hutan_alami": 60.0, "jenis_sinyal_internet": 4.0,
           "persentase_elektrifikasi": 40.0}
    good = {"jarak_jalan": 10.0, "indeks_bahaya_banjir": 0.0, "indeks_bahaya_longsor": 0.0,
            "persentase_hutan_alami": 0.0, "jenis_sinyal_internet": 1.0,
            "persentase_elektrifikasi": 100.0}
    indicators = {UJUNG_HILIR: bad, TALANG_JAUH: good, KOTA_HULU: good, PASAR_HILIR: good}
    ranking = prescreen(toy_scenario(), indicators)
    assert [s.tps for s in ranking[:2]] == [UJUNG_2, UJUNG_1]
    assert set(ranking[0].components) == set(WEIGHTS) - {"jarak_rs_terdekat"}


def test_percentile_ranks_share_ties_and_treat_missing_as_middle() -> None:
    """Ranks run 0 to 1, equal values share their mean rank, None counts 0.5."""
    assert percentile_ranks([3.0, 1.0, None, 1.0, 7.0]) == [pytest.approx(2 / 3), 1 / 6, 0.5,
                                                            1 / 6, 1.0]
