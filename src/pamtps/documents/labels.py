"""Bahasa Indonesia labels and formats shared by every printed output.

Domain words stay as the users say them (TPS, Polsek, BKO, Sprint, Padal, rawan); everything a
Polres prints is in Bahasa Indonesia, so no output module spells a label of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from pamtps.domain import Origin, Precision, VulnerabilityClass
from pamtps.domain.plan import Duty

CLASS_LABELS = {
    VulnerabilityClass.KURANG_RAWAN: "Kurang Rawan",
    VulnerabilityClass.RAWAN: "Rawan",
    VulnerabilityClass.SANGAT_RAWAN: "Sangat Rawan",
    VulnerabilityClass.KHUSUS: "Khusus",
}
DUTY_LABELS = {
    Duty.POST: "Pos TPS",
    Duty.PADAL: "Padal",
    Duty.GUARD: "Pengamanan objek",
    Duty.RESERVE: "Cadangan",
    Duty.HQ: "Mako / Posko",
    Duty.UNAVAILABLE: "Berhalangan",
}
ORIGIN_LABELS = {
    Origin.POLRES: "Polres",
    Origin.POLSEK: "Polsek",
    Origin.BKO_POLRI: "BKO Polri",
    Origin.TNI: "BKO TNI",
}
PRECISION_LABELS = {
    Precision.SURVEYED: "diukur",
    Precision.REPORTED: "dilaporkan",
    Precision.ESTIMATED: "perkiraan",
}
STATUS_LABELS = {
    "optimal": "optimal",
    "feasible": "layak",
    "heuristic": "heuristik",
    "short": "kurang personel",
}
LEADER, MEMBER = "Ketua Tim", "Anggota"
BLANK = "\u00a0" * 12  # room to write in by hand; no-break spaces survive text layout

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Provinces by time zone (first two digits of the Kemendagri code); the rest of Indonesia is WIB.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
UTC_OFFSET_HOURS = {"WIB": 7, "WITA": 8, "WIT": 9}


def class_label(value: VulnerabilityClass) -> str:
    return CLASS_LABELS[value]


def role_label(leader: bool) -> str:
    return LEADER if leader else MEMBER


def long_date(day: date) -> str:
    """'Rabu, 14 Februari 2024'."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    """'Februari 2024'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def time_zone(regency_code: str) -> str:
    """WIB, WITA or WIT for a Kemendagri area code."""
    province = regency_code[:2]
    return "WITA" if province in _WITA else "WIT" if province in _WIT else "WIB"


def clock(at: time, zone: str) -> str:
    """'05.00 WIB': the way Indonesian orders write a time."""
    return f"{at.hour:02d}.{at.minute:02d} {zone}"


def sprint_number(day: date) -> str:
    """The Sprint number, its serial left blank to fill by hand: 'Sprin/      /II/2024'."""
    return f"Sprin/{BLANK}/{ROMAN_MONTHS[day.month - 1]}/{day.year}"


def decimal(value: float, digits: int = 1) -> str:
    """A number the Indonesian way: 1234.5 -> '1.234,5'."""
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,"))


def number_ranges(numbers: Iterable[int]) -> str:
    """TPS numbers as compact ranges: [1, 2, 3, 5] -> '001-003, 005'."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(
        f"{run[0]:03d}" if len(run) == 1 else f"{run[0]:03d}-{run[-1]:03d}" for run in runs
    )
