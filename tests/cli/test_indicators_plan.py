"""`pamtps import indicators` changes which TPS the pre-screen makes rawan in `pamtps plan`."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from pamtps.datasets.files import read_csv
from pamtps.datasets.indicators import INDICATORS_FILE
from pamtps.io.operation_file import load_operation, operation_for
from pamtps.planner.prescreen import prescreen
from pamtps.scenarios import ScenarioSource, build_scenario
from pamtps.store import Database

MILD = {"jarak_jalan": "10", "jarak_rs_terdekat": "0", "persentase_elektrifikasi": "100",
        "jenis_sinyal_internet": "1", "indeks_bahaya_banjir": "0", "indeks_bahaya_longsor": "0",
        "persentase_hutan_alami": "0"}
EXTREME = {"jarak_jalan": "20000", "jarak_rs_terdekat": "3", "persentase_elektrifikasi": "0",
           "jenis_sinyal_internet": "4", "indeks_bahaya_banjir": "1",
           "indeks_bahaya_longsor": "1", "persentase_hutan_alami": "100"}


def planned_rawan(cli: Callable[..., Result], out: Path) -> set[str]:
    result = cli("plan", "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tps_by_class"]["rawan"] == 20
    plan = json.loads((out / "plan.json").read_text())["plan"]
    assert plan["quality"]["stages"]["classify"]["desa_with_indicators"] == 157
    return {code for code, cls in plan["classes"].items() if cls == "rawan"}


def write_indicators(path: Path, changes: dict[str, dict[str, str]]) -> None:
    """OKU's rows of the bundled PODES file, with some desa's values replaced."""
    rows = [row for row in read_csv(*INDICATORS_FILE) if row["kode_desa"].startswith("16.01.")]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, **changes.get(row["kode_desa"], {})})


def test_importing_other_indicators_changes_the_rawan_tps(cli, db_url, tmp_path):
    """The remote desa with most rawan TPS made mild loses them all; an easy desa far from its
    Polsek (none of its TPS in the top 100) made extreme gains rawan TPS; still 20 rawan."""
    assert cli("demo", "--no-plan").exit_code == 0
    before = planned_rawan(cli, tmp_path / "before")
    operation = load_operation(operation_for("oku-2024"))
    scenario = build_scenario(ScenarioSource("database", "16.01"), operation, Database(db_url))
    desa_of = {t.code: t.desa_code for t in scenario.dataset.tps}
    ranking = prescreen(scenario)
    assert {s.tps for s in ranking[:20]} == before  # the database plan uses the bundled file
    remote = max(sorted({desa_of[c] for c in before}),
                 key=lambda d: sum(desa_of[c] == d for c in before))
    near_top = {desa_of[s.tps] for s in ranking[:100]}
    easy_far = max((s for s in ranking if desa_of[s.tps] not in near_top),
                   key=lambda s: s.components["travel_minutes"])
    easy = desa_of[easy_far.tps]
    path = tmp_path / "indikator.csv"
    write_indicators(path, {remote: MILD, easy: EXTREME})
    imported = cli("import", "indicators", str(path))
    assert imported.exit_code == 0, imported.output

    after = planned_rawan(cli, tmp_path / "after")
    assert not {c for c in after if desa_of[c] == remote}
    assert easy_far.tps in after
    # the newcomers: the extreme desa's TPS, and the next in line filling the freed places
    assert after - before <= {c for c in desa_of if desa_of[c] == easy} | {
        s.tps for s in ranking[20:40]}
