"""Run a plan over many Polres: serially, or spread over a Dask cluster.

``run`` takes the map function as a parameter: ``serial_map`` is a plain loop (tests, one
process); ``dask_map(client)`` hands each Polres to a Dask worker and yields the results as they
complete. Either way the same task runs per Polres (``nation.plan_polres``): it plans, writes the
Polres' plan file and its result file, and hands back only the small ``PolresResult``, so no
process ever holds the plans of more than the Polres it is planning.

A run is resumable: a Polres whose result file (``polres/CODE.json``) exists is not planned
again; the file is written whole, last, after the plan file, so it marks a finished Polres.

Dask is an optional extra (``pip install pamtps[scale]``), imported only by ``dask_map`` and
``dask_client``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamtps.domain.scale import PolresResult
from pamtps.scale.nation import read_result
from pamtps.scale.partition import PolresPart, largest_first

Task = Callable[[str], PolresResult]
"""Plan one Polres by its code, write its files, return its result."""
Mapper = Callable[[Task, Sequence[str]], Iterable[PolresResult]]
"""Apply a task to Polres codes, yielding the results in any order."""

MISSING_DASK = ("the distributed run needs Dask: pip install pamtps[scale] "
                "(or plan serially, with --workers 0)")


class ScaleUnavailable(RuntimeError):
    """Dask is not installed (the message says how to install it)."""


def serial_map(task: Task, codes: Sequence[str]) -> Iterator[PolresResult]:
    """One Polres after the other, in this process."""
    for code in codes:
        yield task(code)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ScaleUnavailable(MISSING_DASK) from None
    return distributed


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Dask client: of the cluster at ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786``), else of a LocalCluster of ``workers`` processes of one thread each
    (the planner is CPU-bound Python: threads would share one core)."""
    distributed = _distributed()
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def dask_map(client: Any) -> Mapper:
    """A map function over ``client``'s cluster: every Polres submitted at once, in the order
    given (Dask starts earlier ones first), results yielded as they complete and each future
    released as soon as its result is read."""
    distributed = _distributed()

    def mapper(task: Task, codes: Sequence[str]) -> Iterator[PolresResult]:
        futures = client.map(task, list(codes), key=[f"polres-{c}" for c in codes], pure=False)
        for future in distributed.as_completed(futures):
            result: PolresResult = future.result()
            future.release()
            yield result

    return mapper


@dataclass
class RunReport:
    """What a run did: every Polres' result (earlier runs' included), which were planned now
    and which were already done, and the wall time of this run."""

    results: list[PolresResult] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(
    polres: Iterable[PolresPart],
    task: Task,
    out: Path,
    mapper: Mapper = serial_map,
    on_result: Callable[[PolresResult], None] | None = None,
) -> RunReport:
    """Plan every Polres not yet done in ``out``, largest first, with ``mapper``; call
    ``on_result`` for each result as it arrives (a progress bar), earlier ones first."""
    start = time.perf_counter()
    report = RunReport()
    todo = []
    for part in largest_first(polres):
        earlier = read_result(out, part.code)
        if earlier is None:
            todo.append(part.code)
        else:
            report.results.append(earlier)
            report.resumed.append(part.code)
            if on_result is not None:
                on_result(earlier)
    for result in mapper(task, todo):
        report.results.append(result)
        report.planned.append(result.polres_code)
        if on_result is not None:
            on_result(result)
    report.results.sort(key=lambda r: r.polres_code)
    report.seconds = round(time.perf_counter() - start, 3)
    return report


def totals(results: Iterable[PolresResult]) -> dict[str, Any]:
    """The sums of a run: Polda, Polres, TPS, rawan, officers, BKO received, shortfall."""
    rows = list(results)
    keys = ("tps", "rawan", "officers_own", "bko_polri", "brimob", "tni", "rawan_short",
            "shortfall")
    return {
        "polda": len({r.polda_code for r in rows}),
        "polres": len(rows),
        **{key: sum(getattr(r, key) for r in rows) for key in keys},
        "synthetic_roster": sum(r.synthetic_roster for r in rows),
        "estimated_positions": sum(r.estimated_positions for r in rows),
    }


def by_polda(results: Iterable[PolresResult]) -> dict[str, dict[str, Any]]:
    """``totals`` per Polda, by province code."""
    groups: dict[str, list[PolresResult]] = {}
    for r in results:
        groups.setdefault(r.polda_code, []).append(r)
    return {code: totals(rows) for code, rows in sorted(groups.items())}
