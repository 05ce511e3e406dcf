"""The load generator of ``bench/ingest.py``: plain HTTP/1.1 keep-alive over asyncio, in a process
of its own.

On two cores, a general-purpose client (httpx) spends about as much CPU per request as the
server does, and in the server's process it also takes its GIL: the table then measures the
client. So each mode runs here, in a separate process with uvloop when installed, every request
encoded before the clock starts; it reports its own CPU time, so that the table shows how close
the client came to being the bottleneck. Loopback only; each mode is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


@dataclass
class Write:
    """One field write of an officer: his token, the route and its body."""

    token: str
    path: str
    body: dict[str, Any]


@dataclass
class Mode:
    """What to send: ``chunks`` (each a request: one write, or an officer's writes as a batch),
    paced at ``rate`` per second (open loop) or by ``concurrency`` connections (closed loop)."""

    port: int
    chunks: list[list[Write]]
    concurrency: int = 32
    rate: float | None = None
    max_seconds: float = 60.0
    healthz: int = 0  # > 0: that many GET /healthz instead of writes
    warm: bool = False  # open loop: open the connections before the clock starts


@dataclass
class Measured:
    """Per event: the latency of its request and its status (0: no answer)."""

    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    seconds: float = 0.0
    sending_s: float = 0.0  # open loop: until the last request left (the offered rate's time)
    client_cpu_s: float = 0.0


@dataclass(frozen=True)
class _Request:
    data: bytes
    events: int
    batch: bool


def _encode(chunk: list[Write]) -> _Request:
    headers = f"Authorization: Bearer {chunk[0].token}\r\nIdempotency-Key: {uuid.uuid4()}\r\n"
    if len(chunk) == 1:
        path, body = chunk[0].path, chunk[0].body
    else:
        path = "/api/v1/field/batch"
        reports = [{"path": w.path, "body": w.body, "idempotency_key": str(uuid.uuid4())}
                   for w in chunk]
        body = {"reports": reports}
    raw = json.dumps(body, separators=(",", ":")).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\n{headers}"
            f"Content-Type: application/json\r\nContent-Length: {len(raw)}\r\n\r\n")
    return _Request(head.encode() + raw, len(chunk), len(chunk) > 1)


_HEALTHZ = _Request(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode(), 1, False)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, data: bytes) -> tuple[int, bytes, float]:
        """Send a request; its status, body and Retry-After (seconds, 0 if none)."""
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, retry_after = 0, 0.0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"retry-after":
                retry_after = float(value)
        body = await self.reader.readexactly(length) if length else b""
        return status, body, retry_after


class _Pool:
    """Up to ``size`` keep-alive connections, opened when first needed."""

    def __init__(self, port: int, size: int) -> None:
        self.port, self.size, self.opened = port, size, 0
        self.idle: asyncio.LifoQueue[_Connection] = asyncio.LifoQueue()

    async def warm(self) -> None:
        """Open every connection before the clock starts (each answers one GET /healthz)."""
        async def one() -> _Connection:
            connection = _Connection(*await asyncio.open_connection(HOST, self.port))
            await connection.exchange(_HEALTHZ.data)
            return connection

        for connection in await asyncio.gather(*(one() for _ in range(self.size - self.opened))):
            self.opened += 1
            self.idle.put_nowait(connection)

    async def send(self, request: _Request) -> tuple[list[int], float]:
        """The request's statuses (one per event) and the Retry-After of a refusal."""
        reused = not (self.idle.empty() and self.opened < self.size)
        if reused:
            connection = await self.idle.get()
        else:
            self.opened += 1
            connection = _Connection(*await asyncio.open_connection(HOST, self.port))
        try:
            status, body, retry_after = await connection.exchange(request.data)
        except (OSError, asyncio.IncompleteReadError):
            if not reused:
                self.opened -= 1
                return [0] * request.events, 0.0
            # The server closed a keep-alive connection left idle past its timeout (a worker
            # sleeping out a Retry-After): as HTTP clients do, send it once more on a new one.
            try:
                connection = _Connection(*await asyncio.open_connection(HOST, self.port))
                status, body, retry_after = await connection.exchange(request.data)
            except (OSError, asyncio.IncompleteReadError):
                self.opened -= 1
                return [0] * request.events, 0.0
        self.idle.put_nowait(connection)
        if request.batch and status == 200:
            return [r["status"] for r in json.loads(body)["results"]], 0.0
        return [status] * request.events, retry_after


async def _timed(pool: _Pool, request: _Request, out: Measured) -> float:
    """Send one request and record it; the Retry-After of a 429 (else 0)."""
    start = time.perf_counter()
    statuses, retry_after = await pool.send(request)
    elapsed = time.perf_counter() - start
    out.latencies += [elapsed] * len(statuses)
    out.statuses += statuses
    return retry_after if statuses and statuses[0] == 429 else 0.0


async def _closed(pool: _Pool, sequences: Iterator[list[_Request]], mode: Mode,
                  out: Measured) -> None:
    stop = time.monotonic() + mode.max_seconds

    async def worker() -> None:
        for sequence in sequences:  # an officer's requests, one after the other
            for request in sequence:
                while True:  # a shed request is sent again after its Retry-After, as phones do
                    if time.monotonic() > stop:
                        return
                    pause = await _timed(pool, request, out)
                    if not pause:
                        break
                    await asyncio.sleep(pause)

    await asyncio.gather(*(worker() for _ in range(mode.concurrency)))


async def _open(pool: _Pool, requests: list[_Request], rate: float, out: Measured) -> None:
    start, sent, tasks = time.perf_counter(), 0, []
    for request in requests:
        delay = start + sent / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sent += request.events
        tasks.append(asyncio.create_task(_timed(pool, request, out)))
    out.sending_s = time.perf_counter() - start
    await asyncio.gather(*tasks)


async def _run(mode: Mode) -> Measured:
    out = Measured()
    pool = _Pool(mode.port, 256 if mode.rate else mode.concurrency)
    if mode.healthz:
        sequences = [[_HEALTHZ] * (mode.healthz // mode.concurrency)] * mode.concurrency
    elif mode.rate:  # one sequence, in the given order (round by round over the officers)
        sequences = [[_encode(chunk) for chunk in mode.chunks]]
    else:
        sequences = [[_encode(chunk) for chunk in officer] for officer in _officers(mode.chunks)]
    if mode.rate and mode.warm:
        await pool.warm()
    cpu, start = time.process_time(), time.perf_counter()
    if mode.rate:
        await _open(pool, sequences[0], mode.rate, out)
    else:
        await _closed(pool, iter(sequences), mode, out)
    out.seconds = time.perf_counter() - start
    out.client_cpu_s = time.process_time() - cpu
    while not pool.idle.empty():
        pool.idle.get_nowait().writer.close()
    return out


def _officers(chunks: list[list[Write]]) -> list[list[list[Write]]]:
    """The chunks grouped by officer, in order: a closed-loop worker sends one officer's day."""
    grouped: dict[str, list[list[Write]]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk[0].token, []).append(chunk)
    return list(grouped.values())


def run(mode: Mode) -> Measured:
    """Run one mode (the entry point of the client process)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_run(mode))
    return uvloop.run(_run(mode))
