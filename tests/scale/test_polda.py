"""A Polda's run on a few real Polres of Sumatera Selatan: the pool is never exceeded, a short
pool's shortfall is reported per Polres, and a large pool covers every rawan TPS."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from pamtps.documents.polda_view import read_records, write_viewer
from pamtps.scale.allocate import PLATOON, Pool
from pamtps.scale.polda import PoldaReport, PoldaSetup, Writing, run_polda
from pamtps.scale.polda_file import bundled_polda, load_polda_file

POLRES = ("16.72", "16.74")  # Kota Pagar Alam and Kota Prabumulih, the smallest two


def run(tmp: Path, pool: Pool) -> PoldaReport:
    given = load_polda_file(bundled_polda("16"))
    setup = PoldaSetup("16", given.operation, pool, regencies=POLRES, time_limit=5)
    return run_polda(setup, Writing(tmp, documents=False))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> PoldaReport:
    return run(tmp_path_factory.mktemp("small"), Pool(20, 2 * PLATOON, 10, Fraction(1, 10)))


@pytest.fixture(scope="module")
def large_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("large")


@pytest.fixture(scope="module")
def large(large_folder: Path) -> PoldaReport:
    return run(large_folder, Pool(2000, 10 * PLATOON, 300, Fraction(1, 10)))


def lent(report: PoldaReport) -> tuple[int, int, int]:
    shares = report.allocation.shares
    return (sum(s.bko_polri for s in shares), sum(s.brimob_platoons for s in shares),
            sum(s.tni for s in shares))


def test_each_polres_needs_officers_beyond_its_own_two_thirds(small: PoldaReport) -> None:
    """Requirement mode: the pattern asks more seats than each Polres's own officers fill."""
    for requirement, need in zip(small.requirements, small.needs):
        assert requirement.own_on_tps < requirement.seats
        assert need.rawan + need.safe == requirement.seats - requirement.own_on_tps


def test_a_small_pool_is_never_exceeded_and_its_shortfall_is_reported(small: PoldaReport) -> None:
    """18 BKO lendable for two Polres that lack many more: all lent, each Polres's shortfall
    reported, measured on its plan, and equal to what the allocation expected."""
    assert lent(small) <= small.setup.pool.lendable()
    assert lent(small)[0] == small.setup.pool.lendable()[0] == 18
    summary = small.to_json()
    assert summary["kept_in_reserve"] == {"bko_polri": 2, "brimob": 30, "brimob_platoons": 1,
                                          "tni": 1}
    for row in summary["polres"]:
        assert row["shortfall"] > 0
        assert row["shortfall"] == row["shortfall_expected"]
        assert row["rawan_short"] == 0  # the own officers cover every rawan post first
    assert summary["totals"]["shortfall"] == sum(r.shortfall for r in small.results) > 0


def test_a_large_pool_covers_every_tps_and_keeps_the_rest(large: PoldaReport) -> None:
    """A pool larger than the need: no Polres short, every rawan TPS with two, the rest kept."""
    summary = large.to_json()
    for row in summary["polres"]:
        assert row["shortfall"] == 0 and row["rawan_short"] == 0
        assert row["bko_polri"] == row["need"]["rawan"] + row["need"]["safe"]
    assert summary["not_lent"]["bko_polri"] > 0
    assert lent(large) <= large.setup.pool.lendable()


def test_records_are_written_per_polres_and_viewed(large: PoldaReport, large_folder: Path) -> None:
    """polres/<code>.json holds each record as the run returned it; the viewer sums them."""
    records = list(read_records(large_folder))
    assert [r.polres_code for r in records] == list(POLRES)
    assert records == large.results
    assert json.loads((large_folder / "polres" / "16.72.json").read_text())["polda_code"] == "16"
    pages = write_viewer(large_folder)
    html = pages[0].read_text(encoding="utf-8")
    total_tps = sum(r.tps for r in records)
    assert f"{total_tps:,}".replace(",", ".") in html  # Indonesian thousands
    assert "Kota Pagar Alam" in html and 'href="index.en.html"' in html
