"""The national network cut into Polres and Polda, the rosters calibrated to the national
totals, and the Polres record."""

from __future__ import annotations

import gzip

import pytest

from pamtps.datasets.files import data_path, read_csv
from pamtps.domain.scale import PolresResult
from pamtps.scale.nation import (
    NATIONAL_POLRI_ON_TPS,
    NATIONAL_TPS,
    SUMSEL_BRIMOB,
    SUMSEL_TNI,
    national_figures,
)
from pamtps.scale.partition import UnknownPolda, largest_first, national_network, polda_of


def test_the_national_network_is_one_polres_per_kabupaten_kota() -> None:
    nation = national_network()
    polres = [p for polda in nation for p in polda.polres]
    assert (len(nation), len(polres)) == (38, 514)
    assert sum(p.tps for p in polres) == NATIONAL_TPS == 820_161
    assert sum(p.desa for p in polres) == 83_731
    # Checked against the kabupaten/kota table, a file of its own: the same TPS per regency.
    table = {row["kode_kab"]: row for row in read_csv("national",
                                                       "tps_pemilu2024_kabupaten_nasional.csv")}
    assert {p.code: p.tps for p in polres} == {c: int(r["n_tps"]) for c, r in table.items()}
    assert all(p.polda_code == table[p.code]["kode_prov"] for p in polres)
    # ... and against the raw desa file, read here on its own.
    raw = gzip.decompress(data_path("national", "tps_pemilu2024_desa_nasional.csv.gz")
                          .read_bytes()).decode().splitlines()
    assert len(raw) - 1 == 83_731


def test_polda_by_province_code() -> None:
    sumsel = polda_of("16")
    assert sumsel.name == "Polda Sumatera Selatan"
    assert len(sumsel.polres) == 17 and sumsel.tps == 25_985  # as DOMAIN.md reports
    assert polda_of("16.00") == sumsel
    assert all(polda_of(p.code) is p for p in national_network())  # any of the 38
    with pytest.raises(UnknownPolda, match=r"unknown Polda '99'.*11, 12"):
        polda_of("99")


def test_largest_first() -> None:
    order = largest_first(polda_of("16").polres)
    assert [p.tps for p in order] == sorted((p.tps for p in order), reverse=True)
    assert order[0].code == "16.71"  # Kota Palembang


def test_rosters_add_up_to_the_national_totals() -> None:
    polres = [p for polda in national_network() for p in polda.polres]
    figures = [national_figures(p.tps) for p in polres]
    own_on_tps = sum(round(f.polres * 2 / 3) for f in figures)
    polri_on_tps = own_on_tps + sum(f.bko_polri for f in figures)
    # Each Polres rounds on its own: the sum stays within one officer per Polres or two.
    assert abs(polri_on_tps - NATIONAL_POLRI_ON_TPS) <= 2 * len(polres)
    assert abs(sum(f.brimob for f in figures) - SUMSEL_BRIMOB * NATIONAL_TPS / 25_985) <= 514
    assert abs(sum(f.tni for f in figures) - SUMSEL_TNI * NATIONAL_TPS / 25_985) <= 514
    assert all(f.polres > 0 for f in figures)


def test_the_polres_record_round_trips() -> None:
    result = PolresResult("16.01", "Polres OKU", "16", 1225, 20, 418, 59, 80, 30, 9, 0,
                          54331.74, True, True)
    assert PolresResult.from_json(result.to_json()) == result
    with pytest.raises(ValueError, match=r"missing.*tps"):
        PolresResult.from_json({k: v for k, v in result.to_json().items() if k != "tps"})
    with pytest.raises(ValueError, match=r"unknown.*extra"):
        PolresResult.from_json({**result.to_json(), "extra": 1})
