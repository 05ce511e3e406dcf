"""The Sprint attachment's Kekuatan sheet: the strength and settings the plan was made with."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import RosterFigures, generate_roster
from pamtps.documents.sprint_xlsx import write_sprint_xlsx
from pamtps.domain.operation import ForcesConfig
from pamtps.domain.plan import Plan, Scenario
from pamtps.planner import plan

HEADER_ROW = 8


@pytest.fixture(scope="module")
def lent(oku: Scenario) -> tuple[Plan, Scenario]:
    """OKU with 120 BKO lent (100 set for TPS duty), 54 Brimob, 30 TNI, a TPS share of 70 %
    and 7 pre-screened rawan TPS."""
    dataset = load_dataset("oku-2024")
    officers, units = generate_roster(
        dataset, RosterFigures(polres=627, bko_polri=120, brimob=54, tni=30))
    operation = oku.operation.replace(
        tps_share="70%",
        forces=ForcesConfig(bko_polri=100),
        classification=replace(oku.operation.classification, prescreen_rawan=7),
    )
    scenario = Scenario(dataset.with_personnel(officers, units), operation)
    return plan(scenario, time_limit=5), scenario


def test_sprint_xlsx_states_every_setting(lent, tmp_path: Path) -> None:
    """Strength, TPS share and quota, BKO set of lent, Brimob in platoons, TNI, pre-screen, mode."""
    made, scenario = lent
    path = write_sprint_xlsx(made, scenario, tmp_path / "sprint.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["Rekap", "Kekuatan"]
    ws = book["Kekuatan"]
    assert [c.value for c in ws[HEADER_ROW]] == ["No", "Uraian", "Nilai"]
    values = {row[1]: row[2] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    polsek = sum(1 for o in scenario.dataset.personnel if o.origin.value == "polsek")
    assert values == {
        "Mode perencanaan": "alokasi (kekuatan ditetapkan, pola menyesuaikan)",
        "Kekuatan sendiri Polres": f"627 personel (di Polsek {polsek})",
        "Bagian untuk pengamanan TPS": f"70% = {627 * 7 // 10} personel",
        "BKO Polri untuk pengamanan TPS": "100 personel (dari 120 BKO Polri di daftar personel)",
        "Brimob": "54 personel dalam 2 peleton",
        "TNI (BKO Kodim)": "30 personel",
        "TPS rawan hasil pra-penyaringan geografis": "7 TPS",
    }
