"""``pamtps worker``: the background rounds of election day in a process of their own.

``pamtps serve`` runs the rounds itself; a deployment that wants them apart (one worker for
several service processes, say) serves with ``--no-rounds`` and runs one ``pamtps worker``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Annotated

import typer

from pamtps.cli.app import app, console, fail, open_database
from pamtps.ops.events import Broker
from pamtps.ops.fanout import fan_out
from pamtps.ops.loops import Loop, running
from pamtps.ops.rounds import NAMES, loops, select
from pamtps.settings import get_settings


@app.command()
def worker(
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="ROUND", show_default=False,
                       help=f"The rounds to run: {', '.join(NAMES)} (default: all)."),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run one round of each and exit (from cron, say).")
    ] = False,
) -> None:
    """Run the background rounds on the configured database until interrupted.

    Each round repeats at the interval its setting gives (PAMTPS_FIELD_WATCH_INTERVAL_S,
    PAMTPS_INCIDENT_ESCALATE_INTERVAL_S, PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S,
    PAMTPS_OPS_SITREP_INTERVAL_S, PAMTPS_SMS_SEND_INTERVAL_S: the SMS replies, off without
    PAMTPS_SMS_SEND_URL); an interval of 0 turns a round off, with --once too. Serve
    with `pamtps serve --no-rounds`, or the rounds run twice. A failed round is logged and the
    next one runs; with --once, a failed round ends the command with an error.
    """
    try:
        chosen = select(names or ())
    except ValueError as error:
        raise fail(str(error)) from None
    settings = get_settings()
    on = [r for r in chosen if r.interval(settings) > 0]
    for r in chosen:
        seconds = r.interval(settings)
        console.print(f"{r.name} ({r.title}): " + (f"every {seconds:g} s" if seconds else "off"))
    if not on:
        raise fail("no round to run: the interval of each one chosen is 0")
    db = open_database()
    # On PostgreSQL the rounds' events (an unguarded-TPS alert, an escalation) reach the open
    # pages of every serving process; on SQLite nobody listens to this process's events, and the
    # pages see the changes when they next load.
    broker = Broker()
    leave = fan_out(broker, db) if not db.is_sqlite else None
    try:
        if once:
            for r in on:
                r.run(db, settings, broker)
            console.print(f"Ran {', '.join(r.name for r in on)} once on {db.display_url}.")
            return
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        console.print(f"Rounds running on {db.display_url} (Ctrl+C stops).")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_until_stopped(loops(on, db, settings, broker)))
        console.print("Rounds stopped.")
    finally:
        if leave is not None:
            leave()
        db.dispose()


async def _until_stopped(background: list[Loop]) -> None:
    """Run the loops until SIGTERM (a service manager stopping the worker) or Ctrl+C."""
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' event loop
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with running(background):
        await stop.wait()
