"""`pamtps demo`, `summary`, `datasets`, `import` and `roster template`, as a user runs them."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from openpyxl import load_workbook

from tests.cli.conftest import summary_json


def test_demo_loads_oku_plans_it_writes_the_documents_and_serves(
    cli, oku_loaded_summary, tmp_path, monkeypatch
):
    """The README's first command: the summary shows 1,225 TPS and the roster, the plan's
    documents are written, the orders published, the demo users printed, and the service
    started on port 8000 (here recorded instead of run); summary --json says the same numbers."""
    import pamtps.cli.service

    served = []
    monkeypatch.setattr(
        pamtps.cli.service, "run_service", lambda *args, **kw: served.append((args, kw))
    )
    out = tmp_path / "demo"
    result = cli("demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert served == [(("127.0.0.1", 8000), {"access_log": True})]
    assert "komandan" in result.stdout and "pamtps-demo" in result.stdout
    assert "1,225" in result.stdout and "627" in result.stdout
    assert summary_json(cli) == oku_loaded_summary
    written = {path.name for path in out.iterdir()}
    assert {"plan.json", "sprint.pdf", "sprint.xlsx", "perintah-personel.pdf", "plan.geojson",
            "peta-rencana.png"} <= written


def test_demo_with_simulate_plays_a_voting_day_at_the_chosen_pace(cli, tmp_path, monkeypatch):
    """`pamtps demo --simulate --speed 600`: the day is started against the served demo at 600x,
    the service's escort deadlines and report period are divided by 600, and the request log is
    off so the terminal keeps the outcome."""
    import pamtps.cli.service
    import pamtps.simulate.demo
    from pamtps.simulate.demo import REAL_PACE

    for name in REAL_PACE:  # restored to unset after the test
        monkeypatch.setenv(name, "0")
        monkeypatch.delenv(name)
    served, days = [], []
    monkeypatch.setattr(
        pamtps.cli.service, "run_service", lambda *args, **kw: served.append((args, kw))
    )
    monkeypatch.setattr(
        pamtps.simulate.demo, "start_day", lambda url, db, settings, **kw: days.append((url, kw))
    )
    result = cli("demo", "--out", str(tmp_path / "demo"), "--simulate", "--speed", "600")
    assert result.exit_code == 0, result.output
    assert served == [(("127.0.0.1", 8000), {"access_log": False})]
    [(url, options)] = days
    assert url == "http://127.0.0.1:8000" and options["speed"] == 600
    assert options["password"] == "pamtps-demo"
    assert os.environ["PAMTPS_OPS_ESCORT_PPS_DEADLINE_MIN"] == "0.2"  # 120 min / 600
    assert os.environ["PAMTPS_OPS_SITREP_INTERVAL_S"] == "6"  # an hour / 600
    assert os.environ["PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S"] == "2"  # never under 2 s
    assert "600x" in result.stdout


def test_running_the_demo_twice_changes_nothing(cli, oku_loaded_summary):
    """The demo is idempotent: the second run leaves the same counts."""
    cli("demo", "--no-plan")
    assert cli("demo", "--no-plan").exit_code == 0
    assert summary_json(cli) == oku_loaded_summary


def test_datasets_lists_both_bundled_datasets(cli):
    """oku-2024 and sumsel-2024 are listed."""
    result = cli("datasets")
    assert "oku-2024" in result.stdout and "sumsel-2024" in result.stdout


def _tps_file(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["kode_tps", "no_tps", "jenis_tps", "kode_desa", "dpt"])
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD = {"kode_tps": "1601072001001", "no_tps": "1", "jenis_tps": "reguler",
        "kode_desa": "16.01.07.2001", "dpt": "221"}


def test_a_malformed_tps_file_is_refused_with_row_and_column_and_changes_nothing(cli, tmp_path):
    """A bad row fails the whole import; the message names it; the database is unchanged."""
    cli("demo", "--no-plan")
    before = summary_json(cli)
    bad = dict(GOOD, kode_tps="1601072001002", no_tps="2", dpt="-5")
    path = _tps_file(tmp_path / "tps.csv", [GOOD, bad])
    result = cli("import", "tps", str(path))
    assert result.exit_code != 0
    assert "row 3" in result.output and "dpt" in result.output
    assert summary_json(cli) == before
    # The good row was not applied either: TPS 001 keeps KPU's 220 voters.
    again = cli("import", "tps", str(_tps_file(tmp_path / "same.csv", [dict(GOOD, dpt="220")])))
    assert "0 updated" in again.stdout


def test_importing_the_same_tps_file_twice_changes_nothing_the_second_time(cli, tmp_path):
    """The first import updates one TPS; the second says nothing changed."""
    cli("demo", "--no-plan")
    path = _tps_file(tmp_path / "tps.csv", [GOOD])
    first = cli("import", "tps", str(path))
    assert first.exit_code == 0, first.output
    assert "1 updated" in first.stdout
    second = cli("import", "tps", str(path))
    assert "Nothing changed" in second.stdout


def test_import_before_any_data_asks_for_the_demo(cli, tmp_path):
    """On an empty database the import explains what to do first."""
    result = cli("import", "tps", str(_tps_file(tmp_path / "tps.csv", [GOOD])))
    assert result.exit_code != 0
    assert "pamtps demo" in result.output


def test_roster_template_is_written_with_instructions(cli, tmp_path):
    """The XLSX template has the roster sheet and the Petunjuk sheet."""
    path = tmp_path / "roster.xlsx"
    assert cli("roster", "template", str(path)).exit_code == 0
    assert "Petunjuk" in load_workbook(path).sheetnames
