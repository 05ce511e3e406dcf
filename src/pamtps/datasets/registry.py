"""The bundled datasets, by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pamtps.datasets.oku import load_oku
from pamtps.datasets.sumsel import load_sumsel
from pamtps.domain import Dataset


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    regencies: str
    sources: str
    loader: Callable[[], Dataset]


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
        ),
        DatasetInfo(
            "sumsel-2024",
            "Provinsi Sumatera Selatan, Pemilu 2024: 17 kabupaten/kota, sectors estimated",
            "16.01-16.74",
            "KPU TPS list (kawalpemilu/kp24), Kemendagri areas and boundaries (MIT)",
            load_sumsel,
        ),
    )
}


def load_dataset(name: str, regency: str | None = None) -> Dataset:
    """Load a bundled dataset; ``regency`` narrows ``sumsel-2024`` to one kabupaten/kota."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; bundled: {', '.join(DATASETS)}")
    if regency is not None:
        if regency == "16.01":
            return load_oku()
        if name != "sumsel-2024":
            raise ValueError(f"dataset {name!r} holds one regency; --regency needs sumsel-2024")
        return load_sumsel({regency})
    return DATASETS[name].loader()
