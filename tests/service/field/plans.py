"""Hand-made plans on the toy regency (``tests/fixtures.py``), to follow by hand.

Version 1 has two posts:

- ``HULU-P01``: Sukamaju TPS 001 and 002, Bripka Andi (leader) and Briptu Fajar;
- ``HILIR-P01``: Pasar TPS 001, Bripda Eko (leader) and Serka Gunawan (TNI).

AKBP Bambang is the Padal of Hulu, Iptu Sari (Kapolsek Hulu) stays at headquarters. Version 2
re-plans Hilir only: Gunawan goes to the reserve, so Eko's order changes (no partner) and
Gunawan's is withdrawn, while Andi and Fajar keep theirs.
"""

from __future__ import annotations

from datetime import date

from pamtps.domain import VulnerabilityClass
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality
from pamtps.io.operation_file import parse_operation
from tests.fixtures import HILIR, HULU, TPS

ANDI, FAJAR, EKO, GUNAWAN = "90030003", "97060006", "98050005", "31070007"
BAMBANG, SARI, DEWI = "76010001", "85020002", "95040004"
SUKAMAJU_1, SUKAMAJU_2, SUKADAMAI_1, PASAR_1 = (TPS[0], TPS[1], TPS[2], TPS[3])
HULU_POST, HILIR_POST = "HULU-P01", "HILIR-P01"
VOTING_DAY = date(2024, 2, 14)


def toy_operation() -> OperationConfig:
    """The toy operation: voting day 14 Feb 2024, apel 05:00, at the TPS by 06:30 (WIB)."""
    return parse_operation(
        {
            "name": "Operasi Contoh",
            "dataset": "toy",
            "regency": "16.99",
            "election_type": "pemilu",
            "voting_day": VOTING_DAY,
            "pattern": {c.value: {} for c in VulnerabilityClass},
        }
    )


def _post(post_id: str, sector: str, kecamatan: str, tps: list[str]) -> Post:
    return Post(post_id, sector, kecamatan, VulnerabilityClass.KURANG_RAWAN, tps, 2, 0, -4.0, 104)


def toy_field_plan(version: int = 1) -> Plan:
    """Version 1 or 2 of the toy plan (see the module docstring)."""
    hilir_team = [Assignment(EKO, Duty.POST, HILIR_POST, True, 10.0)]
    if version == 1:
        hilir_team.append(Assignment(GUNAWAN, Duty.POST, HILIR_POST, False, 10.0))
    else:
        hilir_team.append(Assignment(GUNAWAN, Duty.RESERVE, "kodim_contoh"))
    return Plan(
        dataset="toy",
        operation="Operasi Contoh",
        regency="16.99",
        mode="allocation",
        seed=1,
        classes={tps.code: tps.vulnerability for tps in TPS},
        reasons={},
        posts=[
            _post(HULU_POST, "polsek_hulu", HULU, [SUKAMAJU_1.code, SUKAMAJU_2.code]),
            _post(HILIR_POST, "polsek_hilir", HILIR, [PASAR_1.code]),
        ],
        assignments=[
            Assignment(ANDI, Duty.POST, HULU_POST, True, 20.0),
            Assignment(FAJAR, Duty.POST, HULU_POST, False, 20.0),
            *hilir_team,
            Assignment(BAMBANG, Duty.PADAL, HULU),
            Assignment(SARI, Duty.HQ, "polres_contoh"),
            Assignment(DEWI, Duty.UNAVAILABLE),
        ],
        reserve_minutes={},
        quality=Quality(objective=0.0, lower_bound=None, status="heuristic", seconds=0.0, seed=1),
        version=version,
    )
