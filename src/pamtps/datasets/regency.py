"""One kabupaten/kota, from the best bundled data that holds it: what `pamtps init` loads.

Sumatera Selatan's 17 come from their bundled datasets (OKU from ``oku-2024``, with Polres OKU's
own sectors; the others from ``sumsel-2024``, with boundaries, the Polres at the regency seat and
one estimated sector per kecamatan). Any other of Indonesia's 514 comes from the national TPS
network, with estimated locations.
"""

from __future__ import annotations

from pamtps.datasets.national import UnknownRegency, load_national, regencies
from pamtps.datasets.registry import DATASETS, dataset_for, load_dataset
from pamtps.domain import Dataset

__all__ = ["UnknownRegency", "load_regency", "regency_source"]


def regency_source(regency: str) -> str:
    """The name of the bundled data a regency comes from (``oku-2024``, ``sumsel-2024`` or
    ``national-2024``); raises UnknownRegency for a code no bundled data holds."""
    if regency not in regencies():
        raise UnknownRegency(f"unknown kabupaten/kota code {regency!r}: not among the "
                             f"{len(regencies())} of the national TPS network "
                             "(e.g. 16.08, 65.04)")
    if any(info.holds(regency) for info in DATASETS.values()):
        return dataset_for(regency)
    return "national-2024"


def load_regency(regency: str) -> Dataset:
    """The areas, TPS, Polres and Polsek sectors, and guarded objects of one regency."""
    source = regency_source(regency)
    if source == "national-2024":
        return load_national(regency)
    return load_dataset(source, regency=regency)
