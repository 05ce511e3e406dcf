"""How often things go wrong at a TPS on voting day, from Bawaslu's patrol of 14 Feb 2024.

Findings over about 820,000 TPS (DOMAIN.md section 7), per incident category of the service;
riots and floods are not in the findings: about one per regency-sized day is assumed. Each entry
gives the share of TPS, the window of the day (local hours) and the severity reported.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_TPS = 820_000


@dataclass(frozen=True)
class Rate:
    category: str
    per_tps: float
    window: tuple[float, float]  # local hours
    severity: str


RATES = [
    Rate("late_opening", 37_000 / NATIONAL_TPS, (7.0, 7.5), "sedang"),
    Rate("logistics_missing", 10_000 / NATIONAL_TPS, (6.5, 8.0), "sedang"),
    Rate("logistics_swapped", 6_000 / NATIONAL_TPS, (7.0, 10.0), "sedang"),
    Rate("money_politics", 2_600 / NATIONAL_TPS, (7.0, 12.0), "sedang"),
    Rate("voter_intimidation", 2_300 / NATIONAL_TPS, (8.0, 12.5), "tinggi"),
    Rate("official_intimidation", 1_500 / NATIONAL_TPS, (8.0, 20.0), "tinggi"),
    Rate("counting_dispute", 2_200 / NATIONAL_TPS, (15.0, 22.0), "sedang"),
    Rate("power_network_failure", 11_000 / NATIONAL_TPS, (15.0, 23.0), "rendah"),
    Rate("crowd_riot", 1 / 1_200, (14.0, 21.0), "kritis"),
    Rate("flood_disaster", 1 / 2_400, (6.0, 12.0), "tinggi"),
]
DISPATCHED = frozenset(
    {"crowd_riot", "voter_intimidation", "official_intimidation", "flood_disaster"}
)
"""Categories for which the command sends a reserve unit."""
