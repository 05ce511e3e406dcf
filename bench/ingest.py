"""Ingest of field events: durable events per second and latency, by server processes, against
what the database alone commits, and the service under overload.

    .venv/bin/python bench/ingest.py                                PostgreSQL, 1, 2 and 4 workers
    .venv/bin/python bench/ingest.py --databases sqlite,postgresql  SQLite too (one worker)
    .venv/bin/python bench/ingest.py --workers 4 --checkpoint-lag-ms 0,200
    .venv/bin/python bench/ingest.py --runs 3                       the median of three runs

For each database, worker count and run: a fresh store (a temporary SQLite file; a schema of its
own in the PostgreSQL database of ``--postgres-url``, dropped afterwards) holding the OKU regency
with ``--officers-per-tps`` synthetic officers per TPS, each TPS its own post, the plan
published. ``pamtps.web.app`` then runs under uvicorn in a subprocess on 127.0.0.1 with
``--workers N`` server processes (no access log, the background loops off, the live stream
fanned out between them through LISTEN/NOTIFY), and a load generator (``loadgen.py``) in another
process sends each officer's day in order: apel, berangkat, check-in by GPS, bertugas, selesai,
and for the team leader the six TPS status steps; every write with its own Idempotency-Key.
Loopback only, and every mode is bounded in count and in time.

Rows of the table (each mode with officers of its own: an officer's day is sent once):
- ``raw driver, P proc.``: the ceiling of the database alone: P processes, each one psycopg
  connection, inserting movement rows (the same columns and indexes, in a copy of the table)
  one per transaction, each committed before the next (the durability of an acknowledged
  event), for ``--raw-seconds``; SQLite: one process (one writer);
- ``max``: single field events as fast as ``--concurrency`` connections go (closed loop): the
  service's capacity with that many workers. A request the service sheds (429) is sent again
  after its Retry-After, as the phones do; each attempt counts;
- ``max, batches``: each officer's day as one ``/field/batch`` request (his queued reports);
- ``rate N/s``: single events paced at N per second (open loop): the latency at that load;
- ``overload 4x``: single events offered (open loop) at ``--overload`` times the ``max`` rate
  just measured, for ``--overload-seconds``: the first two phases (apel, berangkat) of fresh
  officers, so that a shed report never makes a later one wrong. The service must shed the
  excess with 429 and Retry-After and keep the accepted requests fast: "p99 ms" is then the
  p99 of the accepted requests (the target: under 1 s), "shed" counts the 429s.

The open-loop modes open their 256 keep-alive connections before the clock starts, as phones
that have been reporting all morning hold theirs; opened all at once under load they stall
the server for seconds, which is measured apart (``--cold``) rather than mixed into the table.

"durable events/s" counts the 2xx answers (each one committed before it was sent) over the wall
time; afterwards the rows in the database are counted and must match the 2xx answers, and the
audit chain must verify. "offered/s" is what the client sent per second. "server/client CPU" is
the CPU time of the server processes (all workers) and of the client over the wall time (100 %:
one core). The closing line gives the best durable rate against the goal of 3,000/s.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from loadgen import Measured, Mode, Write
from loadgen import run as run_mode
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from tables import DEFAULT_POSTGRES_URL, machine, markdown, plain

from pamtps.datasets.oku import load_oku
from pamtps.domain import Officer, Origin, UnitType, VulnerabilityClass, rank_by_name
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.ops import audit
from pamtps.ops.field.orders import publish
from pamtps.ops.sessions import TOKEN_PREFIX, digest
from pamtps.store import Database, load_dataset, save_dataset
from pamtps.store.plans import get_plan, save_plan
from pamtps.store.tables.field import MovementRow, TpsStatusRow
from pamtps.store.tables.security import DeviceTokenRow, UserRow

STATUSES = ["dibuka", "pemungutan", "ditutup", "penghitungan", "penghitungan_selesai",
            "kotak_diserahkan"]
GOAL = 3000.0  # durable events/s on PostgreSQL (issue 8 of the probe)
MAX_SECONDS_PER_MODE = 60.0
RESULTS = Path(__file__).parent / "results" / "ingest.md"
# The service's background loops, off: they would measure themselves, not the ingest.
LOOPS_OFF = ("PAMTPS_FIELD_WATCH_INTERVAL_S", "PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S",
             "PAMTPS_OPS_SITREP_INTERVAL_S", "PAMTPS_INCIDENT_ESCALATE_INTERVAL_S")
_SCHEMAS = itertools.count()
HEAD = ["database", "workers", "mode", "events", "offered/s", "durable events/s", "p50 ms",
        "p95 ms", "p99 ms", "errors", "shed (429)", "server CPU", "client CPU"]


@dataclass
class Result:
    """One mode of one run: per event its latency and status; the CPU seconds of server and
    client. Percentiles are over the accepted events when some were shed."""

    database: str
    workers: str
    mode: str
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    shed: int = 0
    sent: int = 0
    error_kinds: collections.Counter[int] = field(default_factory=collections.Counter)
    seconds: float = 0.0
    sending_s: float = 0.0
    server_cpu_s: float | None = None
    client_cpu_s: float | None = None

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def offered(self) -> float:
        seconds = self.sending_s or self.seconds
        return self.sent / seconds if seconds else 0.0

    def percentile(self, p: float) -> float:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        return ms[min(len(ms) - 1, int(p * len(ms)))]

    def cpu(self, seconds: float | None) -> float | None:
        return None if seconds is None or not self.seconds else 100 * seconds / self.seconds

    def add(self, measured: Measured, server_cpu_s: float | None) -> None:
        self.seconds, self.sent = measured.seconds, len(measured.statuses)
        self.sending_s = measured.sending_s
        accepted = [200 <= status < 300 for status in measured.statuses]
        self.latencies = [t for t, ok in zip(measured.latencies, accepted) if ok]
        self.ok = sum(accepted)
        self.shed = sum(status == 429 for status in measured.statuses)
        self.errors = self.sent - self.ok - self.shed
        self.error_kinds = collections.Counter(
            status for status, fine in zip(measured.statuses, accepted)
            if not fine and status != 429)
        self.server_cpu_s, self.client_cpu_s = server_cpu_s, measured.client_cpu_s


def median_row(runs: list[Result]) -> list[str]:
    """A table row: the median over the runs of each number (errors and shed: their sums)."""

    def med(value: Callable[[Result], float | None], form: str) -> str:
        values = [v for v in map(value, runs) if v is not None]
        return format(statistics.median(values), form) if values else "-"

    first = runs[0]
    return [first.database, first.workers, first.mode, med(lambda r: r.sent, ",.0f"),
            med(lambda r: r.offered, ",.0f"), med(lambda r: r.rate, ",.0f"),
            med(lambda r: r.percentile(0.50), ".1f"), med(lambda r: r.percentile(0.95), ".1f"),
            med(lambda r: r.percentile(0.99), ".1f"), str(sum(r.errors for r in runs)),
            str(sum(r.shed for r in runs)), med(lambda r: r.cpu(r.server_cpu_s), ".0f") + " %",
            med(lambda r: r.cpu(r.client_cpu_s), ".0f") + " %"]


# Setting up a store.


def _operation() -> OperationConfig:
    # Voting day tomorrow: no phase is late; the watch loop is off anyway.
    base = load_operation(bundled_operation())
    return base.replace(voting_day=date.today() + timedelta(days=1))


def seed(database: Database, per_tps: int) -> list[list[Write]]:
    """The OKU regency, ``per_tps`` officers per TPS, one post per TPS, published; each
    officer's day (the leader's first)."""
    dataset = load_oku()
    polres = next(u for u in dataset.units if u.type is UnitType.POLRES)
    officers, posts, assignments, days = [], [], [], []
    tokens: dict[str, str] = {}
    for i, tps in enumerate(dataset.tps):
        sector = dataset.sector_of(tps.kecamatan_code) or polres
        post = Post(f"P{i:05d}", sector.code, tps.kecamatan_code,
                    VulnerabilityClass.KURANG_RAWAN, [tps.code], per_tps, 0, tps.lat, tps.lng)
        posts.append(post)
        team = []
        for j in range(per_tps):
            nrp = f"9{i:05d}{j:02d}"
            officers.append(Officer(nrp, f"Bench {i}-{j}", rank_by_name("Brigpol"), sector.code,
                                    Origin.POLSEK, "Samapta", tps.lat, tps.lng, synthetic=True))
            assignments.append(Assignment(nrp, Duty.POST, post.id, j == 0, 10.0))
            tokens[nrp] = TOKEN_PREFIX + secrets.token_urlsafe(24)
            team.append(tokens[nrp])
        days += _day(team, tps.code, tps.lat, tps.lng)
    plan = Plan(dataset.name, "bench", "16.01", "allocation", 1, {}, {}, posts, assignments, {},
                Quality(0.0, None, "heuristic", 0.0, 1))
    now = datetime.now(UTC)
    with database.session() as session:
        save_dataset(session, dataset.with_personnel(officers))
        session.execute(insert(UserRow), [
            {"username": f"o{nrp}", "password_hash": "-", "role": "officer", "scope_code": nrp,
             "display_name": nrp, "nrp": nrp, "active": True, "failed_attempts": 0,
             "locked_until": None, "created_at": now} for nrp in tokens
        ])
        ids = {nrp: ident for nrp, ident in session.execute(select(UserRow.nrp, UserRow.id))}
        session.execute(insert(DeviceTokenRow), [
            {"token_hash": digest(token), "user_id": ids[nrp], "label": "bench",
             "created_at": now, "expires_at": now + timedelta(days=1), "revoked_at": None}
            for nrp, token in tokens.items()
        ])
        stored = get_plan(session, save_plan(session, plan, _operation()))
        assert stored is not None
        publish(session, stored, load_dataset(session), "bench", now)
    return days


def _day(team: list[str], tps_code: str, lat: float, lng: float) -> list[list[Write]]:
    """Each officer's reports of the day, in order; the leader reports the TPS steps."""
    here = {"method": "gps", "lat": lat, "lng": lng}
    status = f"/api/v1/tps/{tps_code}/status"
    days = []
    for token in team:
        writes = [Write(token, "/api/v1/movements", {"phase": p}) for p in ("apel", "berangkat")]
        writes.append(Write(token, "/api/v1/checkin", here))
        writes.append(Write(token, "/api/v1/movements", {"phase": "bertugas"}))
        if token == team[0]:
            writes += [Write(token, status, {"status": step}) for step in STATUSES]
        writes.append(Write(token, "/api/v1/movements", {"phase": "selesai"}))
        days.append(writes)
    return days


@contextmanager
def fresh_database(kind: str, postgres_url: str) -> Iterator[Database]:
    """A migrated, empty store, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
            database.migrate()
            yield database
            database.dispose()
        return
    admin = Database(postgres_url)
    # A schema of its own each time: the audit checkpoint is kept by database URL.
    schema = f"pamtps_bench_{os.getpid()}_{next(_SCHEMAS)}"
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(admin.url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False))
    try:
        database.migrate()
        yield database
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def served(database: Database, workers: int, lag_ms: int | None) -> Iterator[tuple[int, int]]:
    """The service on a free loopback port, ``workers`` uvicorn processes: its port and the
    process id of uvicorn's first process (the workers are its children)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"PAMTPS_DATABASE_URL": database.url} | {loop: "0" for loop in LOOPS_OFF}
    if lag_ms is not None:
        env["PAMTPS_AUDIT_CHECKPOINT_LAG_MS"] = str(lag_ms)
    command = [sys.executable, "-m", "uvicorn", "pamtps.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
               "--log-level", "warning", "--workers", str(workers)]
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port) or len(_tree(server.pid)) < workers + (workers > 1):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the service did not start")
            time.sleep(0.2)
        time.sleep(1.0 if workers > 1 else 0)  # every worker listening, not only the first
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(20)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return probe.recv(12).endswith(b"200")
    except OSError:
        return False


def _tree(pid: int) -> list[int]:
    """The process and its descendants (uvicorn's workers, their multiprocessing helpers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return found


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) a process and its descendants have used so far; None where
    /proc is missing."""
    total = 0.0
    for one in _tree(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            if one == pid:
                return None
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(client: ProcessPoolExecutor, server: int, mode: Mode, result: Result) -> Result:
    """Run a mode in the client process; the server's CPU time meanwhile."""
    before = cpu_seconds(server)
    measured = client.submit(run_mode, mode).result()
    after = cpu_seconds(server)
    result.add(measured, None if before is None or after is None else after - before)
    return result


def interleaved(days: list[list[Write]]) -> list[list[Write]]:
    """Single writes round by round over the officers: an officer's next step leaves long
    after his previous one was answered, as on a real morning."""
    longest = max(len(day) for day in days)
    return [[day[k]] for k in range(longest) for day in days if k < len(day)]


def take(days: Iterator[list[Write]], events: int, steps: int | None = None,
         *, short: bool = False) -> list[list[Write]]:
    """Officers' days (their first ``steps`` writes), in order, until they hold ``events``
    events (an officer is never split); ``short``: fewer if the officers run out."""
    taken: list[list[Write]] = []
    count = 0
    while count < events:
        day = next(days, None)
        if day is None and short and taken:
            print(f"  only {count:,} of {events:,} events left: the mode is shorter",
                  file=sys.stderr)
            break
        if day is None:
            raise SystemExit("not enough officers for these sizes: raise --officers-per-tps")
        taken.append(day[:steps])
        count += len(taken[-1])
    return taken


# The ceiling of the database alone.


def _raw_worker(conninfo: dict[str, Any], seconds: float, first: int,
                start_at: float) -> tuple[int, list[float]]:
    """Insert movement rows one per committed transaction for ``seconds``: rows, latencies."""
    import psycopg

    statement = ("INSERT INTO bench_movements (order_id, nrp, post_id, phase, at, received_at, "
                 "channel, late, method, tps_code, lat, lng, distance_m) VALUES (%s, %s, %s, %s, "
                 "%s, %s, 'app', false, 'gps', %s, %s, %s, %s)")
    latencies = []
    with psycopg.connect(**conninfo) as connection:
        while time.time() < start_at:
            time.sleep(0.001)
        stop = time.perf_counter() + seconds
        n = first
        while time.perf_counter() < stop:
            begin = time.perf_counter()
            now = datetime.now(UTC)
            connection.execute(statement, (n, f"9{n:07d}", f"P{n:05d}", "apel", now, now,
                                           "1601012001001", -4.1, 104.1, 12.5))
            connection.commit()
            latencies.append(time.perf_counter() - begin)
            n += 1
    return len(latencies), latencies


def raw_ceiling(database: Database, processes: int, seconds: float) -> Result:
    """``processes`` psycopg processes inserting one committed row at a time (PostgreSQL)."""
    url = make_url(database.url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS bench_movements"))
        connection.execute(text("CREATE TABLE bench_movements (LIKE movements INCLUDING ALL)"))
    options = url.query.get("options")
    conninfo = {"host": url.host, "port": url.port, "user": url.username,
                "password": url.password, "dbname": url.database, "autocommit": False}
    if options:
        conninfo["options"] = options
    result = Result("PostgreSQL", "-", f"raw driver, {processes} proc.")
    start_at = time.time() + 1.0 + 0.1 * processes  # all started by then
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        jobs = [pool.submit(_raw_worker, conninfo, seconds, 1_000_000 * k, start_at)
                for k in range(processes)]
        for job in jobs:
            rows, latencies = job.result()
            result.ok += rows
            result.latencies += latencies
    result.sent, result.seconds = result.ok, seconds
    return result


def insert_loop(database: Database, seconds: float) -> Result:
    """One-row INSERT transactions, one after the other (SQLite: one writer)."""
    result = Result("SQLite", "-", "raw driver, 1 proc.")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_insert (id INTEGER PRIMARY KEY, body TEXT)"))
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        begin = time.perf_counter()
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO bench_insert VALUES (:i, :b)"),
                               {"i": i, "b": "x" * 200})
        result.latencies.append(time.perf_counter() - begin)
        i += 1
    result.ok = result.sent = i
    result.seconds = time.perf_counter() - start
    return result


def stored_events(database: Database) -> int:
    with database.session() as session:
        moves = session.scalar(select(func.count()).select_from(MovementRow)) or 0
        return moves + (session.scalar(select(func.count()).select_from(TpsStatusRow)) or 0)


# The service.


def serve_modes(database: Database, label: str, workers: int, lag_ms: int | None,
                args: argparse.Namespace, client: ProcessPoolExecutor) -> list[Result]:
    """The service's modes with ``workers`` processes on a freshly seeded store."""
    days = iter(seed(database, args.officers_per_tps))
    name = f"{workers}" + (f", lag {lag_ms} ms" if lag_ms is not None else "")
    results = []
    with served(database, workers, lag_ms) as (port, server):

        def run(mode: Mode, title: str) -> Result:
            mode.max_seconds = MAX_SECONDS_PER_MODE
            result = measure(client, server, mode, Result(label, name, title))
            results.append(result)
            print(f"  {label} {name} {title}: {result.rate:,.0f}/s, p99 "
                  f"{result.percentile(0.99):.0f} ms, {result.errors} errors "
                  f"{dict(result.error_kinds)}, {result.shed} shed", file=sys.stderr, flush=True)
            return result

        single = run(Mode(port, [[w] for day in take(days, args.events) for w in day],
                          args.concurrency), f"max, {args.concurrency} conn.")
        run(Mode(port, take(days, args.events), args.concurrency),
            f"max, {args.concurrency} conn., batches")
        run(Mode(port, interleaved(take(days, int(args.rate * args.seconds))), rate=args.rate,
                 warm=not args.cold), f"rate {args.rate:,.0f}/s")
        offered = args.overload * single.rate
        if offered > 0:
            officers = take(days, int(offered * args.overload_seconds), steps=2, short=True)
            run(Mode(port, interleaved(officers), rate=offered, warm=not args.cold),
                f"overload {args.overload:g}x = {offered:,.0f}/s")
    answered = sum(r.ok for r in results)
    stored = stored_events(database)
    if stored != answered:
        print(f"{label} {name}: {answered} events acknowledged but {stored} stored",
              file=sys.stderr)
    with database.session() as session:
        chain = audit.verify(session)
    if not chain.ok:
        print(f"{label} {name}: the audit chain is broken: {chain.reason}", file=sys.stderr)
    return results


def run(kind: str, args: argparse.Namespace, client: ProcessPoolExecutor) -> list[Result]:
    """One run on one database: the raw ceilings, then each worker count on a fresh store."""
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    results = []
    with fresh_database(kind, args.postgres_url) as database:
        if kind == "sqlite":
            results.append(insert_loop(database, args.raw_seconds))
        else:
            results += [raw_ceiling(database, p, args.raw_seconds) for p in args.raw_processes]
    for workers in args.workers if kind == "postgresql" else [1]:
        for lag_ms in args.checkpoint_lag_ms or [None]:
            with fresh_database(kind, args.postgres_url) as database:
                results += serve_modes(database, label, workers, lag_ms, args, client)
    return results


def table(results: list[Result]) -> list[list[str]]:
    """The header and a row per (database, workers, mode): the median over the runs."""
    grouped: dict[tuple[str, str, str], list[Result]] = {}
    for result in results:
        grouped.setdefault((result.database, result.workers, result.mode), []).append(result)
    return [HEAD] + [median_row(runs) for runs in grouped.values()]


def closing(results: list[Result]) -> str:
    """The best durable rate on PostgreSQL against the goal and the raw ceiling."""
    pg = [r for r in results if r.database == "PostgreSQL"]
    served_rates = [r for r in pg if r.workers != "-" and r.mode.startswith("max")]
    raw = [r for r in pg if r.workers == "-"]
    if not served_rates:
        return ""
    best = max(served_rates, key=lambda r: r.rate)
    singles = [r for r in served_rates if "batches" not in r.mode]
    best_single = max(singles, key=lambda r: r.rate) if singles else best
    ceiling = max(raw, key=lambda r: r.rate) if raw else None
    lines = [
        f"best durable rate, single events: {best_single.rate:,.0f}/s ({best_single.workers} "
        f"workers) = {best_single.rate / GOAL:.2f} x the goal of {GOAL:,.0f}/s",
        f"best durable rate, batches: {best.rate:,.0f}/s ({best.workers} workers) = "
        f"{best.rate / GOAL:.2f} x the goal",
    ]
    if ceiling:
        lines.append(f"raw driver ceiling: {ceiling.rate:,.0f}/s ({ceiling.mode}) = "
                     f"{ceiling.rate / GOAL:.2f} x the goal; single events reach "
                     f"{best_single.rate / ceiling.rate:.0%} of it")
    for r in pg:
        if r.mode.startswith("overload"):
            verdict = "met" if r.shed and r.percentile(0.99) < 1000 else "MISSED"
            lines.append(f"overload ({r.workers} workers, {r.offered:,.0f}/s offered): "
                         f"{r.ok:,} accepted, {r.shed:,} shed, p99 of accepted "
                         f"{r.percentile(0.99):,.0f} ms: shed with p99 < 1 s {verdict}")
    return "\n".join(lines)


def checkpoint_cost(writes: int, postgres_url: str) -> str:
    """One audit checkpoint write (lock, read and check the old file, sign, write, fsync,
    rename) timed ``writes`` times in this process: the cost a lag of 0 puts on every commit."""
    from pamtps.ops.audit_checkpoint import checkpoint_path

    key, path = audit.chain_key(), checkpoint_path(postgres_url)
    times = []
    for n in range(1, writes + 1):
        start = time.perf_counter()
        audit._write_pending((n, "ab" * 32, 1, postgres_url, path, key))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return (f"checkpoint write, {writes} times: median {statistics.median(times):.1f} ms, "
            f"p90 {times[int(0.9 * writes)]:.1f} ms, p99 {times[int(0.99 * writes)]:.1f} ms")


def _numbers(text_value: str, kind: Callable[[str], Any]) -> list[Any]:
    return [kind(x) for x in text_value.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--workers", type=lambda v: _numbers(v, int), default=[1, 2, 4],
                        help="server process counts, e.g. 1,2,4 (PostgreSQL; SQLite takes 1)")
    parser.add_argument("--raw-processes", type=lambda v: _numbers(v, int), default=[1, 4, 32],
                        help="processes of the raw-driver ceiling, e.g. 1,4,32")
    parser.add_argument("--raw-seconds", type=float, default=4.0)
    parser.add_argument("--checkpoint-lag-ms", type=lambda v: _numbers(v, int), default=[],
                        help="PAMTPS_AUDIT_CHECKPOINT_LAG_MS values to compare (default: the "
                        "setting's own)")
    parser.add_argument("--events", type=int, default=8000, help="events in each max mode")
    parser.add_argument("--rate", type=float, default=1000.0, help="events/s in the rate mode")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the rate mode")
    parser.add_argument("--overload", type=float, default=4.0,
                        help="the overload mode's rate, times the measured max rate")
    parser.add_argument("--overload-seconds", type=float, default=3.0)
    parser.add_argument("--cold", action="store_true",
                        help="open-loop modes open their connections on the clock, as needed")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--officers-per-tps", type=int, default=12,
                        help="synthetic officers on each TPS's post (the days to send)")
    parser.add_argument("--runs", type=int, default=1, help="runs of everything (median)")
    parser.add_argument("--checkpoint-only", type=int, default=0, metavar="N",
                        help="only time N audit checkpoint writes, and exit")
    args = parser.parse_args()
    # One secret and data folder for the service and this process (the audit check).
    os.environ.setdefault("PAMTPS_SECRET_KEY", secrets.token_urlsafe(32))
    results = []
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["PAMTPS_DATA_DIR"] = data_dir
        if args.checkpoint_only:
            print(f"{checkpoint_cost(args.checkpoint_only, args.postgres_url)}; "
                  f"{machine(1).split(';')[0]}")
            return
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as client:
            for _ in range(args.runs):
                for kind in args.databases.split(","):
                    results += run(kind.strip(), args, client)
    rows = table(results)
    title = f"ingest of field events, loopback: {machine(args.runs)} (at the end)"
    note = closing(results)
    text_columns = (0, 1, 2)
    print(f"\n{title}\n{plain(rows, text_columns)}\n\n{note}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Ingest of field events\n\n{title}\n\n"
                       f"{markdown(rows, text_columns)}\n\n{note}\n")
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
