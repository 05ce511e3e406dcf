"""The service's background loops: a round of work every so often while the app runs.

``every`` runs a blocking round in the thread pool, sleeps, and runs it again until cancelled;
a failed round is logged, not fatal (the next may succeed: a database restart, a lock timeout).
``running`` is the lifespan that starts the loops whose interval is not 0 and cancels them when
the app stops. The unguarded-TPS watch, the incident escalation, the escort watch and the hourly
situation report all run this way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable

from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)

Loop = tuple[float, Callable[[], object], str]
"""(seconds between rounds, the round, its name for the log)"""


async def every(seconds: float, work: Callable[[], object], name: str) -> None:
    """Run ``work`` every ``seconds`` until cancelled."""
    while True:
        try:
            await run_in_threadpool(work)
        except Exception:
            log.exception("%s round failed", name)
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def running(loops: Iterable[Loop]) -> AsyncIterator[None]:
    """Run the loops whose interval is above 0 for as long as the block; then stop them."""
    tasks = [asyncio.create_task(every(s, work, name)) for s, work, name in loops if s > 0]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
