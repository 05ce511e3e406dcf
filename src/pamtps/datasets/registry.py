"""The bundled datasets, by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pamtps.datasets.indicators import bundled_indicators
from pamtps.datasets.oku import load_oku
from pamtps.datasets.roster import OKU_FIGURES, RosterFigures
from pamtps.datasets.sumsel import load_sumsel
from pamtps.domain import Dataset


@dataclass(frozen=True)
class DatasetInfo:
    """A bundled dataset. ``covers`` lists the regency codes it holds, a code ending in a dot
    standing for every regency of that province; ``regional`` loads only some of them."""

    name: str
    title: str
    regencies: str
    sources: str
    loader: Callable[[], Dataset]
    covers: tuple[str, ...]
    regional: Callable[[set[str]], Dataset] | None = None
    figures: RosterFigures | None = None  # the Polres' own reported strength, where known

    def holds(self, regency: str) -> bool:
        return any(regency == c or (c.endswith(".") and regency.startswith(c))
                   for c in self.covers)


DATASETS = {
    info.name: info
    for info in (
        DatasetInfo(
            "oku-2024",
            "Kabupaten Ogan Komering Ulu, Pemilu 2024, with Polres OKU and its 11 Polsek",
            "16.01",
            "KPU TPS list (kawalpemilu/kp24), Sirekap DPT sample, Kemendagri areas and "
            "boundaries (cahyadsn/wilayah, wilayah_boundaries, MIT), Polres OKU press statements",
            load_oku,
            covers=("16.01",),
            figures=OKU_FIGURES,
        ),
        DatasetInfo(
            "sumsel-2024",
            "Provinsi Sumatera Selatan, Pemilu 2024: 17 kabupaten/kota, sectors estimated",
            "16.01-16.74",
            "KPU TPS list (kawalpemilu/kp24), Kemendagri areas and boundaries (MIT)",
            load_sumsel,
            covers=("16.",),
            regional=load_sumsel,
        ),
    )
}
"""Most specific first: a regency is loaded from the first dataset that holds it."""


def dataset_for(regency: str) -> str:
    """The bundled dataset that holds ``regency`` best: its own, else its province's."""
    for info in DATASETS.values():
        if info.holds(regency):
            return info.name
    raise KeyError(f"no bundled dataset holds regency {regency!r}")


def load_dataset(name: str, regency: str | None = None) -> Dataset:
    """Load a bundled dataset; ``regency`` narrows a regional one (``sumsel-2024``) to one
    kabupaten/kota, taken from the dataset of its own where one ships (16.01: ``oku-2024``).
    The dataset carries the bundled village indicators of its desa, where the file covers them."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; bundled: {', '.join(DATASETS)}")
    if regency is None:
        dataset = DATASETS[name].loader()
    elif not DATASETS[name].holds(regency):
        raise ValueError(f"dataset {name!r} does not hold regency {regency}")
    else:
        best = DATASETS[dataset_for(regency)]
        dataset = best.loader() if best.regional is None else best.regional({regency})
    dataset.indicators = bundled_indicators(dataset.regency_codes)
    return dataset
