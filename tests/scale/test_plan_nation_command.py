"""`pamtps plan --nation` and `--polda CODE` on the small nation: the command's own path (its
progress, totals and resume), serially; no database is opened."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from pamtps.cli import app
from pamtps.cli import nation as command
from pamtps.scale.nation import plan_polres
from pamtps.scale.partition import polda_of
from tests.scale.small_nation import CODES, small_nation, small_polres


@pytest.fixture
def pamtps(monkeypatch: pytest.MonkeyPatch) -> functools.partial[Result]:
    nation = tuple(small_nation())
    monkeypatch.setattr(command, "national_network", lambda: nation)
    monkeypatch.setattr(command, "polda_of", lambda code: polda_of(code, nation))
    monkeypatch.setattr(command, "plan_polres", functools.partial(plan_polres,
                                                                  loader=small_polres))
    runner = CliRunner()
    return functools.partial(lambda *args: runner.invoke(app, list(args)))


def test_plan_nation_json_then_resumed(pamtps: functools.partial[Result], tmp_path: Path) -> None:
    first = pamtps("plan", "--nation", "--workers", "0", "--out", str(tmp_path), "--json")
    assert first.exit_code == 0, first.output
    numbers = json.loads(first.stdout)
    assert (numbers["polda"], numbers["polres"], numbers["planned"]) == (4, 6, 6)
    assert numbers["tps"] == sum(len(small_polres(c).tps) for c in CODES)
    assert numbers["by_polda"]["91"]["polres"] == 2
    assert sorted(p.stem for p in (tmp_path / "polres").glob("*.json")) == sorted(CODES)
    again = json.loads(pamtps("plan", "--nation", "--workers", "0", "--out", str(tmp_path),
                              "--json").stdout)
    assert (again["planned"], again["resumed"]) == (0, 6)
    assert {k: v for k, v in again.items() if k not in ("planned", "resumed", "seconds")} == {
        k: v for k, v in numbers.items() if k not in ("planned", "resumed", "seconds")}


def test_plan_one_polda(pamtps: functools.partial[Result], tmp_path: Path) -> None:
    result = pamtps("plan", "--polda", "92", "--workers", "0", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    tps = len(small_polres("92.07").tps) + len(small_polres("92.11").tps)
    assert f"1 Polda, 2 Polres, {tps} TPS; 2 planned now" in " ".join(result.stdout.split())
    assert sorted(p.stem for p in (tmp_path / "polres").glob("*.json")) == ["92.07", "92.11"]


def test_bad_input_is_refused(pamtps: functools.partial[Result], tmp_path: Path) -> None:
    unknown = pamtps("plan", "--polda", "99", "--out", str(tmp_path))
    assert unknown.exit_code == 1 and "unknown Polda '99'" in unknown.output
    pool = pamtps("plan", "--nation", "--bko", "10", "--out", str(tmp_path))
    assert pool.exit_code == 1 and "drop --bko" in pool.output
    assert not (tmp_path / "polres").exists()  # nothing written


def test_the_viewer_page_and_its_maps(
    pamtps: functools.partial[Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national run writes the viewer page; `pamtps view --map` draws a Polres' map from its
    plan file, and the page then links it (the drill-down)."""
    from pamtps.scale import nation

    monkeypatch.setattr(nation, "draw_map", functools.partial(nation.draw_map,
                                                              loader=small_polres))
    assert pamtps("plan", "--polda", "92", "--workers", "0", "--out", str(tmp_path)).exit_code == 0
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "92.07" in page and "92.11" in page and "92.07/peta-rencana.png" not in page
    drawn = pamtps("view", str(tmp_path), "--map", "92.07")
    assert drawn.exit_code == 0, drawn.output
    png = tmp_path / "92.07" / "peta-rencana.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="92.07/peta-rencana.png"' in page and "92.11/peta-rencana.png" not in page
    unknown = pamtps("view", str(tmp_path), "--map", "92.99")
    assert unknown.exit_code == 1 and "--map 92.99" in unknown.output
    every = pamtps("view", str(tmp_path), "--map", "all")
    assert every.exit_code == 0, every.output
    assert (tmp_path / "92.11" / "peta-rencana.png").exists()
    assert 'href="92.11/peta-rencana.png"' in (tmp_path / "index.html").read_text(encoding="utf-8")
