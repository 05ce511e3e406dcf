"""The terminal summary: TPS by class, posts, duties by origin, reserve and quality."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from pamtps.cli.plan_summary import render_summary
from pamtps.domain.plan import Plan, Quality, Scenario


def summary(plan: Plan, scenario: Scenario) -> str:
    console = Console(record=True, width=130, color_system=None)
    render_summary(plan, scenario, console)
    return console.export_text()


def test_summary_has_every_table_in_bahasa_indonesia(oku: Scenario, toy: Plan) -> None:
    """Titles of the five tables and the class names appear."""
    text = summary(toy, oku)
    for title in (
        "TPS per kelas",
        "Pos per sektor",
        "Personel per tugas dan asal",
        "Cadangan per tempat siaga",
        "Mutu rencana",
    ):
        assert title in text
    for label in ("Kurang Rawan", "Sangat Rawan", "Khusus", "Polsek Ulu Ogan", "BKO Polri"):
        assert label in text


def test_summary_counts_tps_and_posts(oku: Scenario, toy: Plan) -> None:
    """The class table's total row has 1225 TPS, the plan's posts and post officers."""
    line = next(row for row in summary(toy, oku).splitlines() if "Jumlah" in row and "1225" in row)
    assert str(len(toy.posts)) in line and str(2 * len(toy.posts)) in line


def test_quality_shows_objective_bound_gap_status_time_and_seed(oku: Scenario, toy: Plan) -> None:
    """Numbers in Indonesian style: 1.234,5 objective, 2,8 % gap, status 'layak', seed 7."""
    text = summary(toy, oku)
    for expected in ("1.234,5", "1.200,0", "2,8 %", "layak", "3,2 detik"):
        assert expected in text


def test_a_plan_without_bound_says_heuristic(oku: Scenario, toy: Plan) -> None:
    """No lower bound: the summary says so instead of inventing a gap."""
    heuristic = replace(toy, quality=Quality(900.0, None, "heuristic", 1.0, 3))
    text = summary(heuristic, oku)
    assert "tanpa batas bawah (heuristik)" in text and "heuristik" in text
