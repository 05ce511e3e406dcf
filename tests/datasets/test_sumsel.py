"""The bundled sumsel-2024 dataset and narrowing it to one regency."""

from __future__ import annotations

import pytest

from pamtps.datasets import load_dataset
from pamtps.domain import UnitType


@pytest.fixture(scope="module")
def sumsel():
    return load_dataset("sumsel-2024")


def test_sumsel_has_the_public_counts(sumsel):
    """17 kabupaten/kota, 241 kecamatan, 3,249 desa and 25,985 TPS."""
    counts = sumsel.counts()
    assert counts["kabupaten"] == 17
    assert (counts["kecamatan"], counts["desa"], counts["tps"]) == (241, 3249, 25_985)


def test_every_kecamatan_gets_one_estimated_sector(sumsel):
    """With no Polsek table, each kecamatan is a sector of its own under its Polres."""
    assert len(sumsel.polsek) == 241
    assert sum(1 for u in sumsel.units if u.type is UnitType.POLRES) == 17


def test_one_regency_can_be_loaded_alone():
    """--regency narrows the province to one kabupaten with its own TPS only."""
    muara_enim = load_dataset("sumsel-2024", regency="16.03")
    assert muara_enim.regency_codes == ("16.03",)
    assert all(t.desa_code.startswith("16.03.") for t in muara_enim.tps)
    assert muara_enim.counts()["kabupaten"] == 1


def test_asking_for_oku_in_sumsel_gives_the_richer_oku_dataset():
    """OKU has its own dataset with the Polres OKU sectors."""
    assert load_dataset("sumsel-2024", regency="16.01").name == "oku-2024"


def test_an_unknown_dataset_is_refused_with_the_names_available():
    """The error lists the bundled datasets."""
    with pytest.raises(KeyError, match="oku-2024"):
        load_dataset("jawa-2024")
