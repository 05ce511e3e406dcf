"""The national run: every Polres of the 820,161 TPS planned on Dask workers of this machine.

    .venv/bin/python bench/national.py                     sample: serial, 1 and 2 workers;
                                                           then the nation on 2 workers
    .venv/bin/python bench/national.py --nation-workers 1 2    the whole nation on 1 and on 2
    .venv/bin/python bench/national.py --fraction 0.05 --nation-workers   the sample only

Each run plans into a fresh folder what ``pamtps plan --nation`` plans (``scale.run.run`` with
``scale.nation.plan_polres``): one Polres per kabupaten/kota, the scenario as ``pamtps plan``
builds it, a synthetic roster calibrated to the national totals, the short deterministic solver
budget, the plan file and the result written per Polres by the worker.

The baseline is measured in the same run: the serial loop (``serial_map``, this process) on a
sample of the Polres (every Nth by size, so that it spans small and large ones; ``--fraction``
of them), then the same sample on a LocalCluster of 1 and of 2 workers (one thread each), whose
results must equal the serial ones. Then the whole nation on the workers of
``--nation-workers``. Peak memory per worker is each worker process's maximum resident set
(``getrusage``), read from the worker after the run.
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tables import machine, markdown, plain

from pamtps.domain.scale import PolresResult
from pamtps.scale.nation import NATIONAL_POLRI_ON_TPS, NATIONAL_TPS, plan_polres
from pamtps.scale.partition import PolresPart, largest_first, national_network
from pamtps.scale.run import dask_client, dask_map, run, serial_map, totals

TARGET_S = 600.0  # the whole nation with 2 workers, on the 2-core machine
RESULTS = Path(__file__).parent / "results" / "national.md"


def peak_rss_mb() -> float:
    """This process's peak resident set, MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """The CPU time this process has had (user + system): on a shared machine, what the work
    cost whatever the load, where the wall time says how long it waited for a core too."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sample(polres: list[PolresPart], fraction: float) -> list[PolresPart]:
    """Every Nth Polres by size, so that the sample spans the small and the large ones."""
    step = max(round(1 / fraction), 1)
    return largest_first(polres)[::step]


def measure(polres: list[PolresPart], workers: int, root: Path) -> dict[str, Any]:
    """One run into a fresh folder: 0 workers is the serial loop in this process."""
    out = Path(tempfile.mkdtemp(prefix=f"w{workers}-", dir=root))
    task = functools.partial(plan_polres, out=str(out))
    if workers == 0:
        start, cpu_start = time.perf_counter(), cpu_seconds()
        report = run(polres, task, out, serial_map)
        seconds = time.perf_counter() - start
        memory, cpu = [peak_rss_mb()], [cpu_seconds() - cpu_start]
    else:
        with dask_client(None, workers) as client:
            client.wait_for_workers(workers)
            idle = client.run(cpu_seconds)
            start = time.perf_counter()
            report = run(polres, task, out, dask_map(client))
            seconds = time.perf_counter() - start
            memory = sorted(client.run(peak_rss_mb).values())
            cpu = sorted(t - idle[w] for w, t in client.run(cpu_seconds).items())
    print(f"  {len(polres)} Polres, {workers or 'serial'} worker(s): {seconds:.1f} s wall, "
          f"CPU {' / '.join(f'{c:.0f}' for c in cpu)} s, peak "
          f"{' / '.join(f'{m:.0f}' for m in memory)} MB", flush=True)
    return {"seconds": seconds, "memory": memory, "cpu": cpu, "results": report.results}


def row(name: str, polres: list[PolresPart], m: dict[str, Any], base: float | None) -> list[str]:
    sums = totals(m["results"])
    return [
        name, f"{len(polres)}", f"{sums['tps']:,}", f"{m['seconds']:.1f}",
        "" if base is None else f"{base / m['seconds']:.2f}",
        " / ".join(f"{x:.0f}" for x in m["cpu"]), f"{max(m['cpu']):.0f}",
        " / ".join(f"{x:.0f}" for x in m["memory"]),
        f"{sums['rawan']:,}", f"{sums['officers_own'] + sums['bko_polri']:,}",
        f"{sums['shortfall']:,}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=0.1,
                        help="share of the Polres in the sample (default 0.1)")
    parser.add_argument("--nation-workers", type=int, nargs="*", default=[2],
                        help="worker counts for the whole nation (none: the sample only)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the runs' output")
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="pamtps-national-"))
    root.mkdir(parents=True, exist_ok=True)
    nation = [p for polda in national_network() for p in polda.polres]
    part = sample(nation, args.fraction)
    header = ["run", "Polres", "TPS", "seconds", "speed-up", "CPU s per worker",
              "busiest worker CPU s", "peak MB per worker", "rawan", "Polri on TPS", "shortfall"]
    table = [header]
    problems = []
    print(f"sample: {len(part)} of {len(nation)} Polres; output under {root}", flush=True)
    serial = measure(part, 0, root)
    table.append(row("sample, serial loop (baseline)", part, serial, serial["seconds"]))
    one = None
    for workers in (1, 2):
        m = measure(part, workers, root)
        if m["results"] != serial["results"]:
            problems.append(f"sample on {workers} worker(s): results differ from the serial run")
        one = m["seconds"] if workers == 1 else one
        table.append(row(f"sample, {workers} Dask worker(s)", part, m, serial["seconds"]))
    nation_rows: dict[int, dict[str, Any]] = {}
    for workers in args.nation_workers:
        m = nation_rows[workers] = measure(nation, workers, root)
        base = nation_rows[1]["seconds"] if 1 in nation_rows else None
        table.append(row(f"nation, {workers} Dask worker(s)", nation, m, base))
        results: list[PolresResult] = m["results"]
        if sum(r.tps for r in results) != NATIONAL_TPS or len(results) != len(nation):
            problems.append(f"nation on {workers} worker(s): not every TPS planned")
        if workers == 2 and m["seconds"] >= TARGET_S:
            problems.append(f"nation on 2 workers: {m['seconds']:.0f} s, target {TARGET_S:.0f} s")
    if len(nation_rows) > 1 and nation_rows[1]["results"] != nation_rows[2]["results"]:
        problems.append("nation: results on 1 and 2 workers differ")
    title = "National run (bench/national.py)"
    notes = [
        f"speed-up: against the serial loop for the sample rows, against 1 worker for the "
        f"nation rows; sample 1 worker -> 2 workers: "
        f"{(one or 0) / table_seconds(table, 'sample, 2'):.2f}x",
        "CPU s: each worker's CPU time in the run; the busiest one's is the wall time the run "
        "would take with a core per worker to itself (the machine is shared: wall >= CPU)",
        f"Polri on TPS: own officers on TPS duty plus BKO Polri received; Pemilu 2024 reported "
        f"{NATIONAL_POLRI_ON_TPS:,} on {NATIONAL_TPS:,} TPS",
        "targets met" if not problems else "targets missed: " + "; ".join(problems),
    ]
    print(f"\n{title}: {machine(1)}\n\n{plain(table)}\n\n" + "\n".join(notes))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# {title}\n\n{machine(1)}\n\n{markdown(table)}\n\n"
                       + "\n".join(f"- {n}" for n in notes) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS}")
    return 1 if problems else 0


def table_seconds(table: list[list[str]], prefix: str) -> float:
    return next(float(r[3]) for r in table[1:] if r[0].startswith(prefix))


if __name__ == "__main__":
    sys.exit(main())
