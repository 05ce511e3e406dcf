"""Bawaslu's list of TPS rawan: the class each listed TPS gets, and why."""

from __future__ import annotations

from dataclasses import dataclass

from pamtps.domain.tps import VulnerabilityClass


@dataclass(frozen=True, slots=True)
class RawanListing:
    """One TPS on the Bawaslu rawan list of a regency.

    ``indicators`` are the Bawaslu variables or indicators the list marks on the TPS, each with
    the value the list gives (``("lokasi_sulit_dijangkau", "ya")``), in the file's column order;
    ``alasan`` is the list's free-text reason. ``source`` is the file it was imported from.
    """

    tps: str
    kelas: VulnerabilityClass
    indicators: tuple[tuple[str, str], ...] = ()
    alasan: str = ""
    source: str = ""
