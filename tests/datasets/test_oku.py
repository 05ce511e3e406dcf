"""The bundled oku-2024 dataset matches the public figures it comes from."""

from __future__ import annotations

from collections import Counter

import pytest

from pamtps.datasets import load_dataset
from pamtps.datasets.geo import contains
from pamtps.datasets.roster import OKU_FIGURES, generate_roster
from pamtps.domain import AreaLevel, Precision, TpsKind, UnitType


@pytest.fixture(scope="module")
def oku():
    return load_dataset("oku-2024")


def test_oku_has_the_public_counts(oku):
    """13 kecamatan, 157 desa, 1,225 TPS of which 1 khusus, and 11 Polsek."""
    counts = oku.counts()
    assert (counts["kecamatan"], counts["desa"], counts["tps"]) == (13, 157, 1225)
    assert counts["tps_khusus"] == 1
    assert counts["polsek"] == 11


def test_the_tps_khusus_is_number_901_in_its_desa(oku):
    """The only special TPS is TPS 901 of desa 16.01.14.2015."""
    khusus = [t for t in oku.tps if t.kind is TpsKind.KHUSUS]
    assert [(t.desa_code, t.number) for t in khusus] == [("16.01.14.2015", 901)]


def test_every_tps_stands_inside_its_desa_and_says_it_is_estimated(oku):
    """Estimated TPS locations fall inside the desa polygon and are marked estimated."""
    for tps in oku.tps:
        assert tps.location_precision is Precision.ESTIMATED
        assert contains(oku.boundaries[tps.desa_code], tps.lat, tps.lng), tps.code


def test_tps_of_one_desa_do_not_share_a_location(oku):
    """The spread gives each TPS of a desa its own point."""
    by_desa = Counter((t.desa_code, t.lat, t.lng) for t in oku.tps)
    assert max(by_desa.values()) == 1


def test_known_voter_counts_are_kept_and_the_rest_fill_kecamatan_totals(oku):
    """84 TPS carry KPU's DPT; all counts add up to the DPSHP total and stay within 300."""
    surveyed = [t for t in oku.tps if t.voters_precision is Precision.SURVEYED]
    assert len(surveyed) == 84
    by_code = {t.code: t for t in oku.tps}
    assert by_code["1601072001001"].voters == 220
    assert sum(t.voters or 0 for t in oku.tps) == 270_765
    assert all(0 < (t.voters or 0) <= 300 for t in oku.tps)


def test_polsek_cover_every_kecamatan_once(oku):
    """The 11 sectors cover the 13 kecamatan, each exactly once."""
    covered = Counter(k for unit in oku.polsek for k in unit.kecamatan_codes)
    kecamatan = {a.code for a in oku.areas_at(AreaLevel.KECAMATAN)}
    assert set(covered) == kecamatan and set(covered.values()) == {1}


def test_mapolres_is_reported_and_polsek_bases_are_estimated(oku):
    """Mapolres OKU stands in Batu Kuning as reported; Polsek bases say they are estimated."""
    polres = next(u for u in oku.units if u.type is UnitType.POLRES)
    assert polres.base_desa_code == "16.01.13.1007"
    assert polres.base_precision is Precision.REPORTED
    assert {u.base_precision for u in oku.polsek} == {Precision.ESTIMATED}


def test_generated_roster_matches_the_seed_figures(oku):
    """627 own officers, 59 BKO Polri, 80 Brimob and 30 TNI, all marked synthetic."""
    officers, units = generate_roster(oku, OKU_FIGURES, seed=7)
    counts = oku.with_personnel(officers, units).counts()["personnel"]
    assert counts == {"polres": 627, "bko_polri": 59, "brimob": 80, "tni": 30}
    assert all(o.synthetic for o in officers)
    assert len({o.nrp for o in officers}) == len(officers)
    assert {u.type for u in units} == {UnitType.BKO_POLRI, UnitType.BRIMOB, UnitType.TNI}


def test_generated_roster_is_reproducible_from_its_seed(oku):
    """The same seed gives the same roster; another seed another one."""
    first, _ = generate_roster(oku, OKU_FIGURES, seed=1)
    again, _ = generate_roster(oku, OKU_FIGURES, seed=1)
    other, _ = generate_roster(oku, OKU_FIGURES, seed=2)
    assert first == again
    assert first != other


def test_every_polsek_has_a_kapolsek_of_officer_rank(oku):
    """Each sector is led by a perwira."""
    officers, _ = generate_roster(oku, OKU_FIGURES)
    heads = {o.unit_code: o for o in officers if o.function == "Kapolsek"}
    assert set(heads) == {u.code for u in oku.polsek}
    assert all(o.rank.group.is_officer for o in heads.values())
