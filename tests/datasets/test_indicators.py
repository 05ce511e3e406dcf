"""The bundled PODES village indicators, and how imported ones are laid over them."""

from __future__ import annotations

from pamtps.datasets import load_dataset
from pamtps.datasets.indicators import COLUMNS, bundled_indicators, overlay
from pamtps.planner.prescreen import INDICATOR_KEYS


def test_bundled_indicators_cover_every_oku_desa() -> None:
    """The PODES file gives the weighed indicators for all 157 desa of OKU, and OKU's only."""
    indicators = bundled_indicators(["16.01"])
    assert len(indicators) == 157
    assert all(set(row) == set(COLUMNS) for row in indicators.values())
    assert all(code.startswith("16.01.") for code in indicators)


def test_every_indicator_the_prescreen_weighs_is_read_from_the_file() -> None:
    """No weight in the pre-screen waits for a column the bundled reader never reads."""
    assert set(INDICATOR_KEYS) == set(COLUMNS)


def test_a_bundled_dataset_carries_the_indicators_of_its_own_desa() -> None:
    """OKU's dataset holds all 157 desa's indicators; Muara Enim's holds only 16.03's."""
    oku = load_dataset("oku-2024")
    desa = {a.code for a in oku.areas if a.code.count(".") == 3}
    assert set(oku.indicators) == desa
    muara_enim = load_dataset("sumsel-2024", regency="16.03")
    assert muara_enim.indicators
    assert all(code.startswith("16.03.") for code in muara_enim.indicators)


def test_no_regency_no_indicators() -> None:
    """A regency outside Sumatera Selatan is not in the file: no indicators, no error."""
    assert bundled_indicators(["32.01"]) == {}
    assert bundled_indicators([]) == {}


def test_imported_values_replace_the_bundled_ones_key_by_key() -> None:
    """An imported desa keeps its bundled values for the columns the import did not have."""
    base = {"16.01.01.2001": {"jarak_jalan": 100.0, "indeks_bahaya_banjir": 0.2},
            "16.01.01.2002": {"jarak_jalan": 900.0}}
    imported = {"16.01.01.2001": {"jarak_jalan": 5000.0},
                "16.01.01.2003": {"jarak_jalan": None}}
    assert overlay(base, imported) == {
        "16.01.01.2001": {"jarak_jalan": 5000.0, "indeks_bahaya_banjir": 0.2},
        "16.01.01.2002": {"jarak_jalan": 900.0},
        "16.01.01.2003": {"jarak_jalan": None},
    }
    assert base["16.01.01.2001"]["jarak_jalan"] == 100.0  # the base is not changed


def test_without_the_optional_file_there_are_no_indicators(monkeypatch) -> None:
    """A package built without the GPL file gives no indicators instead of failing."""
    from pamtps.datasets import indicators

    monkeypatch.setattr(indicators, "INDICATORS_FILE", ("indicators", "absent.csv"))
    assert indicators._all_rows.__wrapped__() == ()
