"""The background loops: a round of work every so often while the service or a worker runs.

``every`` runs a blocking round in a worker thread, sleeps, and runs it again until cancelled;
a failed round is logged, not fatal (the next may succeed: a database restart, a lock timeout).
``running`` starts the loops whose interval is not 0 for as long as its block and cancels them
after. The unguarded-TPS watch, the incident escalation, the escort watch and the hourly
situation report all run this way (``pamtps.ops.rounds`` names them), in the app's lifespan or
in ``pamtps worker``. The thread comes from anyio (what Starlette's ``run_in_threadpool``
calls), which keeps this layer free of the web framework.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable

import anyio.to_thread

log = logging.getLogger(__name__)

Loop = tuple[float, Callable[[], object], str]
"""(seconds between rounds, the round, its name for the log)"""


async def every(seconds: float, work: Callable[[], object], name: str) -> None:
    """Run ``work`` every ``seconds`` until cancelled."""
    while True:
        try:
            await anyio.to_thread.run_sync(work)
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
