"""A national run on a small synthetic nation: serially, on a Dask LocalCluster, interrupted and
resumed. The same code path as `pamtps plan --nation`: ``scale.run.run`` with
``scale.nation.plan_polres``, only the loader cuts each kabupaten/kota down to one kecamatan."""

from __future__ import annotations

import builtins
import functools
import json
import time
from collections import Counter
from pathlib import Path

import distributed
import pytest

from pamtps import scenarios
from pamtps.domain.plan import Duty
from pamtps.domain.scale import PolresResult
from pamtps.scale import run as scale_run
from pamtps.scale.nation import plan_path, plan_polres, result_path
from pamtps.scale.run import ScaleUnavailable, dask_map, run, serial_map, totals
from tests.scale.small_nation import CODES, all_polres, small_nation, small_polres


def task_for(out: Path) -> functools.partial[PolresResult]:
    return functools.partial(plan_polres, out=str(out), loader=small_polres)


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, scale_run.RunReport]:
    out = tmp_path_factory.mktemp("serial")
    return out, run(all_polres(small_nation()), task_for(out), out, serial_map)


def test_the_partition_of_the_small_nation() -> None:
    nation = small_nation()
    assert [p.code for p in nation] == ["11", "65", "91", "92"]
    assert [p.code for p in all_polres(nation)] == sorted(CODES)
    assert sum(p.tps for p in nation) == sum(len(small_polres(c).tps) for c in CODES)


def test_serial_run_plans_every_tps(serial_run: tuple[Path, scale_run.RunReport]) -> None:
    out, report = serial_run
    assert sorted(report.planned) == sorted(CODES) and report.resumed == []
    for code in CODES:
        dataset = small_polres(code)
        plan, source, _ = scenarios.read_plan_file(plan_path(out, code))
        assert source.kind == "bundled" and source.regency == code
        # Every TPS is planned: in exactly one post of its Polres' plan.
        planned = [t for post in plan.posts for t in post.tps]
        assert sorted(planned) == sorted(t.code for t in dataset.tps), code
        # A TPS left without a team is one the roster is too small for: the result says so.
        team = Counter(a.target for a in plan.assignments if a.duty is Duty.POST)
        missing = {post.id: max(post.required - team[post.id], 0) for post in plan.posts}
        saved = json.loads(result_path(out, code).read_text("utf-8"))
        result = PolresResult.from_json(saved)
        assert result in report.results
        assert result.tps == len(dataset.tps) and result.polda_code == code[:2]
        assert result.rawan == sum(1 for c in plan.classes.values()
                                   if c.value in ("rawan", "sangat_rawan"))
        assert result.synthetic_roster and result.estimated_positions
        assert result.shortfall == sum(missing.values())
        assert result.officers_own + result.bko_polri >= sum(team.values()) - result.brimob
    assert totals(report.results)["tps"] == sum(p.tps for p in small_nation())
    assert totals(report.results)["polda"] == 4


def test_dask_local_cluster_equals_the_serial_run(
    serial_run: tuple[Path, scale_run.RunReport], tmp_path: Path
) -> None:
    _, serial = serial_run
    arrived: list[str] = []
    # An existing cluster, reached by its scheduler's address (`--scheduler ADDRESS`).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            scale_run.dask_client(cluster.scheduler_address) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        report = run(all_polres(small_nation()), task_for(tmp_path), tmp_path, dask_map(client),
                     on_result=lambda r: arrived.append(r.polres_code))
        assert released(client)  # every result released: the cluster keeps none
    assert sorted(arrived) == sorted(CODES)
    assert report.results == serial.results  # the same plans, whatever the workers
    for code in CODES:
        assert result_path(tmp_path, code).exists() and plan_path(tmp_path, code).exists()


def released(client: distributed.Client, seconds: float = 20.0) -> bool:
    """True once the scheduler holds no result (releases reach it a moment later)."""
    deadline = time.monotonic() + seconds
    while client.who_has() and time.monotonic() < deadline:
        time.sleep(0.1)
    return client.who_has() == {}


class Stop(Exception):
    """The run is interrupted."""


def test_an_interrupted_run_plans_only_the_missing_polres(tmp_path: Path) -> None:
    polres = all_polres(small_nation())
    first: list[str] = []

    def stopped_after_two(code: str) -> PolresResult:
        if len(first) == 2:
            raise Stop(code)
        first.append(code)
        return task_for(tmp_path)(code)

    with pytest.raises(Stop):
        run(polres, stopped_after_two, tmp_path, serial_map)
    assert sorted(p.stem for p in (tmp_path / "polres").glob("*.json")) == sorted(first)
    written = {c: result_path(tmp_path, c).stat().st_mtime_ns for c in first}
    # A Polres stopped mid-way (its plan file half written, no result) is planned again.
    halfway = next(c for c in CODES if c not in first)
    plan_path(tmp_path, halfway).parent.mkdir(parents=True)
    plan_path(tmp_path, halfway).write_text('{"format": "pamtps-pl', encoding="utf-8")

    second: list[str] = []

    def counted(code: str) -> PolresResult:
        second.append(code)
        return task_for(tmp_path)(code)

    report = run(polres, counted, tmp_path, serial_map)
    assert sorted(second) == sorted(set(CODES) - set(first))
    assert sorted(report.resumed) == sorted(first)
    assert {c: result_path(tmp_path, c).stat().st_mtime_ns for c in first} == written
    assert sorted(r.polres_code for r in report.results) == sorted(CODES)
    assert scenarios.read_plan_file(plan_path(tmp_path, halfway))[1].regency == halfway
    assert run(polres, counted, tmp_path, serial_map).planned == []  # a third run: nothing left


def test_a_damaged_result_file_is_planned_again(tmp_path: Path) -> None:
    polres = [p for p in all_polres(small_nation()) if p.code == "65.04"]
    result_path(tmp_path, "65.04").parent.mkdir(parents=True)
    result_path(tmp_path, "65.04").write_text('{"polres_code": "65.04"', encoding="utf-8")
    report = run(polres, task_for(tmp_path), tmp_path, serial_map)
    assert report.planned == ["65.04"] and report.resumed == []
    assert PolresResult.from_json(json.loads(result_path(tmp_path, "65.04").read_text()))


def test_without_dask_the_message_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ScaleUnavailable, match=r"pip install pamtps\[scale\]"), \
            scale_run.dask_client(None, 1):
        pass
    with pytest.raises(ScaleUnavailable, match=r"pip install pamtps\[scale\]"):
        dask_map(object())
