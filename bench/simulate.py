"""A whole simulated OKU voting day, as a user runs it: ``pamtps demo``, then ``pamtps simulate``.

    .venv/bin/python bench/simulate.py                        both databases, the full day
    .venv/bin/python bench/simulate.py --quick                only 40 posts (a smoke run)
    .venv/bin/python bench/simulate.py --databases sqlite --runs 3 --workers 8

For each run, database and mode: a fresh store (a temporary SQLite file; a schema of its own in
the PostgreSQL database of ``--postgres-url``, dropped afterwards) and a data folder of its own.
``pamtps demo --port P --out TMP`` runs in a subprocess of its own session with
PAMTPS_DATABASE_URL and PAMTPS_DATA_DIR pointing there: it loads OKU and its synthetic roster,
plans, publishes the orders, creates the demo users and serves (its output, access log included,
goes to a file). Once ``/healthz`` answers, ``pamtps simulate http://127.0.0.1:P --speed 1000000
--json --workers W`` plays the day 04:30 to 04:00 as fast as the service answers, and its wall
time is measured, command start to exit; then the server's process group is terminated and the
store dropped. Every subprocess is bounded in time (``--timeout``, ``--start-timeout``).

Modes: ``simulate`` is ``--workers W`` (8, the command's default), against the baseline ``one
phone at a time`` (``--workers 1``), each on a store of its own: the day's actions are the same
(same seed, same plan), so the speed-up is what the parallel phones gain.

Target (the issue): ``pamtps simulate`` plays the full OKU day (all 1,225 TPS) in under 300 s
with no server error, on each database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from tables import DEFAULT_POSTGRES_URL, machine, markdown, plain

from pamtps.store import Database

OKU_TPS = 1225
TARGET_S = 300.0
QUICK_POSTS = 40
SPEED = "1000000"  # simulated seconds per real second: as fast as the service answers
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BASELINE = "one phone at a time"
RESULTS = Path(__file__).parent / "results" / "simulate.md"
HEAD = ["database", "mode", "actions", "TPS", "demo up s", "wall s", "actions/s", "server errors",
        "non-2xx answers", "speed-up", "target"]


@dataclass
class Row:
    """One (database, mode): per run its wall and start-up seconds; the day's counts."""

    database: str
    mode: str
    workers: int
    wall_s: list[float] = field(default_factory=list)
    up_s: list[float] = field(default_factory=list)
    actions: int = 0
    tps: int = 0
    server_errors: int = 0
    non_2xx: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_s) if self.wall_s else float("nan")

    @property
    def rate(self) -> float:
        return self.actions / self.wall if self.wall_s else 0.0

    def add(self, up_s: float, wall_s: float, outcome: dict[str, Any]) -> None:
        """A run's outcome (the JSON of ``pamtps simulate``): the counts must agree."""
        self.up_s.append(up_s)
        self.wall_s.append(wall_s)
        if self.actions and (outcome["actions"], outcome["tps"]) != (self.actions, self.tps):
            self.failures.append("another day than the previous run")
        self.actions, self.tps = outcome["actions"], outcome["tps"]
        self.server_errors += len(outcome["server_errors"])
        self.non_2xx += sum(n for answer, n in outcome["answers"].items()
                            if not 200 <= int(answer.rsplit(" ", 1)[1]) < 300)

    def verdict(self, full_day: bool) -> str:
        """The target, for the default mode: met, missed (and why), or not applicable."""
        if self.failures:
            return "FAILED: " + ", ".join(self.failures)
        if self.mode == BASELINE:
            return "-"
        if not full_day:
            return f"n/a (--posts {QUICK_POSTS})"
        missed = []
        if self.tps != OKU_TPS:
            missed.append(f"{self.tps} of {OKU_TPS} TPS")
        if not self.wall_s or self.wall >= TARGET_S:
            missed.append(f"not under {TARGET_S:.0f} s")
        if self.server_errors:
            missed.append("server errors")
        return "met" if not missed else "MISSED: " + ", ".join(missed)


# A fresh store and the demo served on it.


@contextmanager
def fresh_store(kind: str, postgres_url: str, number: int) -> Iterator[tuple[str, Path]]:
    """An empty store's URL and a temporary folder (data, documents, logs); both removed."""
    with tempfile.TemporaryDirectory(prefix="pamtps-bench-sim-") as name:
        folder = Path(name)
        if kind == "sqlite":
            yield f"sqlite:///{folder / 'pamtps.db'}", folder
            return
        admin = Database(postgres_url)
        schema = f"pamtps_bench_sim_{os.getpid()}_{number}"
        with admin.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(admin.url).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False), folder
        finally:
            with admin.engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def pamtps() -> list[str]:
    """The ``pamtps`` command of this interpreter's environment (its console script)."""
    script = Path(sys.executable).parent / "pamtps"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from pamtps.cli import main; main()"]


def environment(url: str, folder: Path) -> dict[str, str]:
    return os.environ | {"PAMTPS_DATABASE_URL": url, "PAMTPS_DATA_DIR": str(folder / "data")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo(url: str, folder: Path, timeout_s: float) -> Iterator[tuple[int, float]]:
    """``pamtps demo`` served on a free loopback port: the port and the seconds until it
    answered. The server's whole process group is terminated afterwards."""
    port = free_port()
    command = [*pamtps(), "demo", "--port", str(port), "--out", str(folder / "documents")]
    log = folder / "demo.log"
    start = time.perf_counter()
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=environment(url, folder), stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while not healthy(port):
            if server.poll() is not None or time.perf_counter() - start > timeout_s:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"pamtps demo did not come up on port {port}:\n{tail}")
            time.sleep(0.5)
        yield port, time.perf_counter() - start
    finally:
        stop(server)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group, SIGKILL if it is still there after 20 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(20)
            break
        except subprocess.TimeoutExpired:
            continue


def simulate(url: str, folder: Path, port: int, workers: int, posts: int | None,
             timeout_s: float) -> tuple[float, dict[str, Any]]:
    """Run ``pamtps simulate`` against the demo: its wall seconds and its JSON outcome."""
    command = [*pamtps(), "simulate", f"http://127.0.0.1:{port}", "--speed", SPEED, "--json",
               "--workers", str(workers)]
    if posts is not None:
        command += ["--posts", str(posts)]
    start = time.perf_counter()
    done = subprocess.run(command, env=environment(url, folder), capture_output=True, text=True,
                          timeout=timeout_s, check=False)
    wall = time.perf_counter() - start
    try:
        outcome = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"pamtps simulate exited {done.returncode} without an outcome:\n"
                           f"{done.stderr[-2000:]}") from None
    return wall, outcome


def run(kind: str, row: Row, args: argparse.Namespace, number: int) -> None:
    """One mode on one database: a fresh store, the demo served, the day played."""
    with fresh_store(kind, args.postgres_url, number) as (url, folder):
        try:
            with demo(url, folder, args.start_timeout) as (port, up_s):
                wall, outcome = simulate(url, folder, port, row.workers,
                                         QUICK_POSTS if args.quick else None, args.timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"{row.database}, {row.mode}: {error}", file=sys.stderr)
            row.failures.append("timed out" if isinstance(error, subprocess.TimeoutExpired)
                                else "did not run")
            return
    row.add(up_s, wall, outcome)
    for found in outcome["server_errors"][:5]:
        print(f"{row.database}, {row.mode}: server error {found}", file=sys.stderr)


# The table.


def cells(row: Row, baseline: Row, full_day: bool) -> list[str]:
    ran = bool(row.wall_s)
    speedup = baseline.wall / row.wall if ran and baseline.wall_s else None
    return [
        row.database, row.mode, f"{row.actions:,}", f"{row.tps:,}",
        f"{statistics.median(row.up_s):.0f}" if ran else "-",
        f"{row.wall:.1f}" if ran else "-", f"{row.rate:.0f}" if ran else "-",
        str(row.server_errors), str(row.non_2xx),
        f"{speedup:.2f}" if speedup is not None else "-", row.verdict(full_day),
    ]


def targets(rows: list[Row], full_day: bool) -> list[str]:
    lines = []
    for row in rows:
        if row.mode == BASELINE:
            continue
        if not full_day:
            lines.append(f"{row.database}: --quick plays {QUICK_POSTS} posts, not the full day: "
                         f"no target ({row.server_errors} server errors)"
                         + (f", {row.verdict(False)}" if row.failures else ""))
            continue
        seconds = f"{row.wall:.1f} s" if row.wall_s else "no run"
        lines.append(f"{row.database}: the full OKU day ({row.tps:,} of {OKU_TPS:,} TPS) under "
                     f"{TARGET_S:.0f} s with no server error: {seconds}, {row.server_errors} "
                     f"server errors, {row.verdict(full_day)}")
    return lines


TEXT = (0, 1, -1)  # the text columns of the table: database, mode, target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url",
                        default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--workers", type=int, default=8, help="parallel phones of 'simulate'")
    parser.add_argument("--runs", type=int, default=1, help="runs of everything (median)")
    parser.add_argument("--quick", action="store_true", help=f"only --posts {QUICK_POSTS}")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds pamtps simulate may take before it is stopped")
    parser.add_argument("--start-timeout", type=float, default=600.0,
                        help="seconds pamtps demo may take to load, plan and serve")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.databases.split(",")]
    unknown = sorted(set(kinds) - set(LABELS))
    if unknown:
        parser.error(f"unknown database: {', '.join(unknown)} (sqlite, postgresql)")
    if not 2 <= args.workers <= 32:
        parser.error("--workers: 2 to 32 (the baseline is 1)")
    rows = {(k, w): Row(LABELS[k], BASELINE if w == 1 else f"simulate, {w} phones", w)
            for k in kinds for w in (args.workers, 1)}
    number = 0
    for count in range(1, args.runs + 1):
        for (kind, _), row in rows.items():
            number += 1
            print(f"run {count}/{args.runs}: {row.database}, {row.mode}", file=sys.stderr,
                  flush=True)
            run(kind, row, args, number)
    full_day = not args.quick
    table = [HEAD] + [cells(row, rows[kind, 1], full_day) for (kind, _), row in rows.items()]
    notes = targets(list(rows.values()), full_day)
    title = "a simulated OKU voting day: pamtps demo, then pamtps simulate --speed 1000000"
    print(f"\n{title}: {machine(args.runs)}\n\n{plain(table, TEXT)}\n")
    print("\n".join(f"- {line}" for line in notes))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# {title}\n\n{machine(args.runs)}\n\n{markdown(table, TEXT)}\n\n"
                       + "".join(f"- {line}\n" for line in notes), encoding="utf-8")
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
