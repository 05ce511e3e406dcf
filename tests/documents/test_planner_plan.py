"""The outputs read the planner's own plan for OKU, not only the hand-made one."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import openpyxl

from pamtps.documents.geojson import write_plan_geojson
from pamtps.documents.sprint_xlsx import write_sprint_xlsx
from pamtps.domain.plan import Duty, Plan, Scenario


def test_planner_plan_lists_every_post_officer_once(
    oku: Scenario, oku_plan: Plan, tmp_path: Path
) -> None:
    """The Sprint workbook of the planner's plan has each post officer once, in his sector."""
    book = openpyxl.load_workbook(write_sprint_xlsx(oku_plan, oku, tmp_path / "sprint.xlsx"))
    nrps = []
    for unit in oku.dataset.polsek:
        if unit.name in book.sheetnames:
            rows = list(book[unit.name].iter_rows(min_row=8, values_only=True))
            column = rows[0].index("NRP")
            nrps += [row[column] for row in rows[1:]]
    on_posts = [a.nrp for a in oku_plan.assignments if a.duty is Duty.POST]
    assert Counter(nrps) == Counter(on_posts)


def test_planner_plan_maps_every_tps(oku: Scenario, oku_plan: Plan, tmp_path: Path) -> None:
    """Its GeoJSON has one point per TPS, each on a post."""
    features = json.loads(write_plan_geojson(oku_plan, oku, tmp_path / "p.geojson").read_text())
    tps = [f["properties"] for f in features["features"] if f["properties"]["kind"] == "tps"]
    assert len(tps) == len(oku.dataset.tps) and all(t["post"] for t in tps)
