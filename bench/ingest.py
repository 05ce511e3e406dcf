"""Ingest of field events: durable events per second and latency, on SQLite and PostgreSQL.

    .venv/bin/python bench/ingest.py                       both databases, default sizes
    .venv/bin/python bench/ingest.py --databases sqlite --events 4000 --rate 1000 --seconds 5
    .venv/bin/python bench/ingest.py --runs 3              the median of three runs

For each database and run: a fresh store (a temporary SQLite file; a schema of its own in the
PostgreSQL database of ``--postgres-url``, dropped afterwards) holding the OKU regency with
``--officers-per-tps`` synthetic officers per TPS, each TPS its own post, the plan published.
``pamtps.web.app`` then runs under uvicorn in a subprocess on 127.0.0.1 (one worker, no
access log, the background loops off), and a load generator (``loadgen.py``) in another process
sends each officer's day in order: apel, berangkat, check-in by GPS, bertugas, selesai, and for
the team leader the six TPS status steps; every write with its own Idempotency-Key. Loopback
only, and every mode is bounded in count and in time.

Modes, in the table (each with officers of its own: an officer's day is sent once):
- ``baseline insert``: one-row INSERT transactions in this process (the database alone);
- ``baseline http``: GET /healthz round trips (the HTTP stack and one SELECT 1);
- ``rate N/s``: field events paced at N per second (open loop): the latency at that load;
- ``max``: field events as fast as ``--concurrency`` connections go (closed loop);
- ``..., batches``: each officer's day as one ``/field/batch`` request (his queued reports).

"durable events/s" counts the 2xx answers (each one committed before it was sent) over the wall
time; afterwards the rows in the database are counted and must match, and the audit chain must
verify. "server/client CPU" is the CPU time of each process over the wall time (100 %: one core).
"""

from __future__ import annotations

import argparse
import os
import platform
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

from loadgen import Measured, Mode, Write
from loadgen import run as run_mode
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from tables import DEFAULT_POSTGRES_URL

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
MAX_SECONDS_PER_MODE = 60.0
RESULTS = Path(__file__).parent / "results" / "ingest.md"
# The service's background loops, off: they would measure themselves, not the ingest.
LOOPS_OFF = ("PAMTPS_FIELD_WATCH_INTERVAL_S", "PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S",
             "PAMTPS_OPS_SITREP_INTERVAL_S")
HEAD = ["database", "mode", "events", "durable events/s", "p50 ms", "p95 ms", "p99 ms", "errors",
        "server CPU", "client CPU"]


@dataclass
class Result:
    """One mode of one run: per event its latency; the CPU seconds of server and client."""

    database: str
    mode: str
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    server_cpu_s: float | None = None
    client_cpu_s: float | None = None

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        return ms[min(len(ms) - 1, int(p * len(ms)))]

    def cpu(self, seconds: float | None) -> float | None:
        return None if seconds is None or not self.seconds else 100 * seconds / self.seconds

    def add(self, measured: Measured, server_cpu_s: float | None) -> None:
        self.latencies, self.seconds = measured.latencies, measured.seconds
        self.ok = sum(200 <= status < 300 for status in measured.statuses)
        self.errors = len(measured.statuses) - self.ok
        self.server_cpu_s, self.client_cpu_s = server_cpu_s, measured.client_cpu_s


def median_row(runs: list[Result]) -> list[str]:
    """A table row: the median over the runs of each number (errors: their sum)."""

    def med(value: Callable[[Result], float | None], form: str) -> str:
        values = [v for v in map(value, runs) if v is not None]
        return format(statistics.median(values), form) if values else "-"

    first = runs[0]
    return [first.database, first.mode, med(lambda r: r.ok + r.errors, ",.0f"),
            med(lambda r: r.rate, ",.0f"), med(lambda r: r.percentile(0.50), ".1f"),
            med(lambda r: r.percentile(0.95), ".1f"), med(lambda r: r.percentile(0.99), ".1f"),
            str(sum(r.errors for r in runs)), med(lambda r: r.cpu(r.server_cpu_s), ".0f") + " %",
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
        for nrp, token in tokens.items():
            user = UserRow(username=f"o{nrp}", password_hash="-", role="officer", scope_code=nrp,
                           display_name=nrp, nrp=nrp, active=True, failed_attempts=0,
                           locked_until=None, created_at=now)
            session.add(user)
            session.flush()
            session.add(DeviceTokenRow(token_hash=digest(token), user_id=user.id, label="bench",
                                       created_at=now, expires_at=now + timedelta(days=1),
                                       revoked_at=None))
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
    schema = f"pamtps_bench_{os.getpid()}"
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
def served(database: Database) -> Iterator[tuple[int, int]]:
    """The service on a free loopback port, in a uvicorn subprocess: its port and process id."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"PAMTPS_DATABASE_URL": database.url} | {loop: "0" for loop in LOOPS_OFF}
    command = [sys.executable, "-m", "uvicorn", "pamtps.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
               "--log-level", "warning"]
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the service did not start")
            time.sleep(0.1)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return probe.recv(12).endswith(b"200")
    except OSError:
        return False


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) a process has used so far; None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def take(days: Iterator[list[Write]], events: int) -> list[list[Write]]:
    """Officers' days, in order, until they hold ``events`` events (an officer is never split)."""
    taken: list[list[Write]] = []
    while sum(map(len, taken)) < events:
        day = next(days, None)
        if day is None:
            raise SystemExit("not enough officers for these sizes: raise --officers-per-tps")
        taken.append(day)
    return taken


def insert_loop(database: Database, count: int, result: Result) -> None:
    """One-row INSERT transactions, one after the other: what the database commits alone."""
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_insert (id INTEGER PRIMARY KEY, body TEXT)"))
    start = time.perf_counter()
    for i in range(count):
        begin = time.perf_counter()
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO bench_insert VALUES (:i, :b)"),
                               {"i": i, "b": "x" * 200})
        result.latencies.append(time.perf_counter() - begin)
        result.ok += 1
        if time.perf_counter() - start > MAX_SECONDS_PER_MODE:
            break
    result.seconds = time.perf_counter() - start


def stored_events(database: Database) -> int:
    with database.session() as session:
        moves = session.scalar(select(func.count()).select_from(MovementRow)) or 0
        return moves + (session.scalar(select(func.count()).select_from(TpsStatusRow)) or 0)


def run(kind: str, args: argparse.Namespace, client: ProcessPoolExecutor) -> list[Result]:
    """One run on one database: the baselines, then each mode with officers of its own."""
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    with fresh_database(kind, args.postgres_url) as database:
        days = iter(seed(database, args.officers_per_tps))
        baseline = Result(label, "baseline insert")
        insert_loop(database, args.baseline, baseline)
        results = [baseline]
        with served(database) as (port, server):
            http = Mode(port, [], args.concurrency, healthz=args.baseline)
            results.append(measure(client, server, http, Result(label, "baseline http")))
            modes = []
            for batch in (False, True):
                officers = take(days, int(args.rate * args.seconds))
                chunks = officers if batch else interleaved(officers)
                name = f"rate {args.rate:,.0f}/s" + (", batches" if batch else "")
                modes.append((Mode(port, chunks, rate=args.rate), name))
            for batch in (False, True):
                officers = take(days, args.events)
                chunks = officers if batch else [[w] for day in officers for w in day]
                name = f"max, {args.concurrency} conn." + (", batches" if batch else "")
                modes.append((Mode(port, chunks, args.concurrency), name))
            for mode, name in modes:
                mode.max_seconds = MAX_SECONDS_PER_MODE
                results.append(measure(client, server, mode, Result(label, name)))
        answered = sum(r.ok for r in results[2:])
        stored = stored_events(database)
        if stored != answered:
            print(f"{label}: {answered} events acknowledged but {stored} stored", file=sys.stderr)
        with database.session() as session:
            chain = audit.verify(session)
        if not chain.ok:
            print(f"{label}: the audit chain is broken at row {chain.bad_id}: {chain.reason}",
                  file=sys.stderr)
    return results


def table(results: list[Result]) -> list[list[str]]:
    """The header and a row per (database, mode): the median over the runs."""
    grouped: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        grouped.setdefault((result.database, result.mode), []).append(result)
    return [HEAD] + [median_row(runs) for runs in grouped.values()]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEAD))]
    lines = ["  ".join(cell.rjust(w) if i > 1 else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    rule = "|" + "|".join("---" if i < 2 else "---:" for i in range(len(HEAD))) + "|"
    return "\n".join([lines[0], rule, *lines[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url",
                        default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--events", type=int, default=8000, help="events in each max mode")
    parser.add_argument("--rate", type=float, default=1000.0, help="events/s in the rate mode")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the rate mode")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--baseline", type=int, default=2000, help="requests/inserts per baseline")
    parser.add_argument("--officers-per-tps", type=int, default=4,
                        help="synthetic officers on each TPS's post (the days to send)")
    parser.add_argument("--runs", type=int, default=1, help="runs of everything (median)")
    args = parser.parse_args()
    results = []
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as client:
        for _ in range(args.runs):
            for kind in args.databases.split(","):
                results += run(kind.strip(), args, client)
    rows = table(results)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    title = (f"ingest of field events: {os.cpu_count()} cores ({platform.processor() or '?'}), "
             f"one uvicorn worker, loopback; load average {load}; median of {args.runs} run(s)")
    print(f"\n{title}\n{text_table(rows)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Ingest of field events\n\n{title}\n\n{markdown(rows)}\n")
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
