"""Commands of the command service: serve it, manage its users, verify its audit log."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from pamtps.cli.app import app, console, err_console, fail, open_database, print_json
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.i18n import t
from pamtps.ops import audit
from pamtps.ops.demo import DEMO_ACTOR, DEMO_POLSEK, create_demo_users
from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Broker
from pamtps.ops.users import Role, create_user, list_users
from pamtps.store import Database, load_dataset

__all__ = ["create_demo_users"]

CLI_ACTOR = "system:cli"

users_app = typer.Typer(help="Users of the command service.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log of the command service.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    reload: Annotated[
        bool, typer.Option(help="Restart when the code changes (development).")
    ] = False,
    rounds: Annotated[
        bool,
        typer.Option(help="Run the background rounds (watch, escalate, escort, sitrep) in the "
                          "service; --no-rounds leaves them to a `pamtps worker`."),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64,
                     help="Server processes sharing the port (uvicorn workers), e.g. one per "
                          "core. Above 1 needs PostgreSQL: the live stream goes between them "
                          "through LISTEN/NOTIFY and the rounds run once, beside them. SQLite "
                          "takes one process."),
    ] = 1,
) -> None:
    """Serve the command service (pages and the /api/v1 JSON API) on the configured database."""
    run_service(host, port, reload=reload, rounds=rounds, workers=workers)


def run_service(
    host: str, port: int, *, reload: bool = False, access_log: bool = True, rounds: bool = True,
    workers: int = 1,
) -> None:
    """Serve the app on the configured database until interrupted; with ``rounds`` false, the
    background rounds are left to a separate ``pamtps worker``. With several ``workers``
    (PostgreSQL only), the rounds run once, in this supervising process, not in each worker."""
    import uvicorn

    db = open_database()
    if workers > 1 and db.is_sqlite:
        raise fail(
            f"--workers {workers}: SQLite takes one server process (one writer at a time, no "
            "live stream between processes). Serve with --workers 1, or set "
            "PAMTPS_DATABASE_URL to a PostgreSQL database (postgresql+psycopg://user@host/db)."
        )
    if workers > 1 and reload:
        raise fail("--reload restarts one process: use it without --workers")
    many = f", {workers} processes" if workers > 1 else ""
    console.print(
        f"PamTPS command service at http://{host}:{port}/ (database: {db.display_url}{many})"
    )
    # uvicorn imports the factory by name (it must, to reload), so each choice has its own;
    # several workers never run the rounds themselves (they would run once per worker).
    in_app = rounds and workers == 1
    factory = "create_app" if in_app else "create_app_without_rounds"
    beside = rounds_beside(db) if rounds and workers > 1 else contextlib.nullcontext()
    with beside:
        uvicorn.run(
            f"pamtps.web.app:{factory}", factory=True, host=host, port=port, reload=reload,
            proxy_headers=False, access_log=access_log, workers=workers,
        )
    db.dispose()
    # At shutdown, the audit chain's head goes to its checkpoint file and the log.
    db = open_database()
    with db.session() as session:
        audit.checkpoint_now(session)
    db.dispose()


@contextlib.contextmanager
def rounds_beside(db: Database) -> Iterator[None]:
    """The background rounds in a thread of this process for as long as the block, their
    events sent to the server processes' dashboards (``pamtps.ops.fanout``)."""
    from pamtps.ops.fanout import fan_out
    from pamtps.ops.loops import running
    from pamtps.ops.rounds import ROUNDS, loops
    from pamtps.settings import get_settings

    broker = Broker()
    leave = fan_out(broker, db)
    started: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
    ready = threading.Event()

    async def run() -> None:
        stop = asyncio.Event()
        started.append((asyncio.get_running_loop(), stop))
        ready.set()
        async with running(loops(ROUNDS, db, get_settings(), broker)):
            await stop.wait()

    thread = threading.Thread(target=asyncio.run, args=(run(),), name="pamtps-rounds")
    thread.start()
    ready.wait(10)
    try:
        yield
    finally:
        loop, stop = started[0]
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        leave()


def publish_demo(db: Database, plan: Plan, scenario: Scenario) -> tuple[int, str | None]:
    """Store and publish the demo plan (every officer on a post gets his order); returns the plan
    id and the NRP of an officer on a post of the demo Polsek, for the demo user ``petugas``."""
    from pamtps.ops.field.orders import publish
    from pamtps.store.plans import get_plan, save_plan

    with db.session() as session:
        plan_id = save_plan(session, plan, scenario.operation)
        stored = get_plan(session, plan_id)
        assert stored is not None
        result = publish(session, stored, load_dataset(session), DEMO_ACTOR, datetime.now(UTC))
        audit.record(session, DEMO_ACTOR, "plan.published", f"plan:{plan_id}",
                     {"plan_id": plan_id, "counts": result.counts()})
    sectors = {post.id: post.sector for post in plan.posts}
    on_posts = [a for a in plan.assignments if a.duty is Duty.POST]
    officer = next((a for a in on_posts if sectors[a.target] == DEMO_POLSEK), None)
    return plan_id, (officer or on_posts[0]).nrp if on_posts else None


def serve_demo(
    db: Database, plan: Plan, scenario: Scenario, *, port: int = 8000,
    simulate_speed: float | None = None,
) -> None:
    """Publish the demo plan, create the demo users, print how to log in, and serve; with
    ``simulate_speed``, also play a voting day against it at that pace."""
    plan_id, officer_nrp = publish_demo(db, plan, scenario)
    users = create_demo_users(db, scenario.dataset, officer_nrp)
    table = Table(title=f"Demo users (rencana {plan_id} diterbitkan / published)",
                  title_justify="left")
    for column in ("username", "password", "role", "scope"):
        table.add_column(column)
    for username, password, role, scope in users:
        table.add_row(username, password, role, scope or "")
    console.print(table)
    if simulate_speed is not None:
        _simulate_day(db, port, simulate_speed)
    console.print(f"Open http://127.0.0.1:{port}/ and log in as komandan (Ctrl+C stops).")
    # The simulated phones would fill the terminal with request lines: keep it for the outcome.
    run_service("127.0.0.1", port, access_log=simulate_speed is None)


def _simulate_day(db: Database, port: int, speed: float) -> None:
    """Start the simulated voting day in the background of the demo service."""
    from pamtps.ops.demo import DEMO_PASSWORD
    from pamtps.settings import get_settings
    from pamtps.simulate.demo import pace_service, start_day
    from pamtps.simulate.runner import Outcome

    clocks = pace_service(speed)
    get_settings.cache_clear()  # read again, paced clocks included, by the service it starts
    hours = 23.5 * 3600 / speed / 60
    console.print(
        f"Simulated voting day at {speed:g}x: 04:30 to 04:00 the next morning in about "
        f"{hours:.0f} minutes; escort deadlines {clocks['PAMTPS_OPS_ESCORT_PPS_DEADLINE_MIN']} "
        f"and {clocks['PAMTPS_OPS_ESCORT_PPK_DEADLINE_MIN']} min, a situation report every "
        f"{clocks['PAMTPS_OPS_SITREP_INTERVAL_S']} s. Watch it on /peta, /kejadian, /pengawalan."
    )

    def done(result: Outcome | Exception) -> None:
        if isinstance(result, Exception):
            err_console.print(f"[red]The simulated day did not run:[/] {result}")
            return
        errors = len(result.server_errors)
        console.print(
            f"The simulated day is over: {result.actions} actions at {result.tps} TPS in "
            f"{result.play_s:.0f} s, {errors} server errors. The service keeps serving."
        )

    start_day(f"http://127.0.0.1:{port}", db, get_settings(), password=DEMO_PASSWORD,
              speed=speed, done=done)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, . _ -")],
    role: Annotated[Role, typer.Option(help="What the user may do.", case_sensitive=False)],
    scope: Annotated[
        str | None,
        typer.Option(help="polsek: Polsek unit code; padal: kecamatan code; officer: NRP; "
                          "liaison: TPS code; other roles: none."),
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="The password (asked for, unechoed, if missing).")
    ] = None,
    display_name: Annotated[str, typer.Option(help="The name shown on the pages.")] = "",
    nrp: Annotated[str | None, typer.Option(help="The user's NRP, if he is an officer.")] = None,
) -> None:
    """Add a user of the command service."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = open_database()
    try:
        with db.session() as session:
            user = create_user(
                session, username=username, password=password, role=role, actor=CLI_ACTOR,
                scope_code=scope, display_name=display_name, nrp=nrp,
            )
    except ServiceError as error:
        raise fail(t(error.key, "en", **error.params)) from None
    console.print(f"Added {user.username} ({user.role.value}{f', {scope}' if scope else ''}).")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the users of the command service."""
    db = open_database()
    with db.session() as session:
        users = list_users(session)
    if as_json:
        print_json([
            {"username": u.username, "role": u.role.value, "scope": u.scope_code, "nrp": u.nrp,
             "display_name": u.display_name, "active": u.active}
            for u in users
        ])
        return
    table = Table(title="Users", title_justify="left")
    for column in ("username", "role", "scope", "NRP", "name", "active"):
        table.add_column(column)
    for u in users:
        table.add_row(u.username, u.role.value, u.scope_code or "", u.nrp or "", u.display_name,
                      "yes" if u.active else "no")
    console.print(table)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's keyed hash chain, its checkpoint file in the data folder and the
    operational rows it vouches for (orders, movements, TPS steps, incidents, dispatches, escort
    seals and handovers); exit 1 naming the altered or missing row, table row or checkpoint.
    Rows newer than the checkpoint (its lag, or a crash) are counted."""
    db = open_database()
    with db.session() as session:
        result = audit.verify(session)
    if not result.ok:
        where = f" at row {result.bad_id}" if result.bad_id is not None else ""
        raise fail(f"audit log broken{where}: {result.reason}")
    console.print(f"Audit log intact: {result.rows} rows, head hash {result.head_hash or '-'}")
    if result.unvouched:
        console.print(f"{result.unvouched} newest rows (from {result.unvouched_since}) lie beyond "
                      "the checkpoint: written within its lag, or just before a crash")


@audit_app.command("adopt")
def audit_adopt(
    by: Annotated[str, typer.Option("--by", help="Who adopts the rows (recorded as the actor).")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why, e.g. the upgrade it follows (recorded).")
    ],
) -> None:
    """Once, after upgrading from a PamTPS that did not record its operational tables in the
    audit log: record the current state of every operational row no entry records yet, in the
    keyed chain, by --by with --reason. Refused, changing nothing, when a recorded row was
    changed (run `pamtps audit verify`) or an adoption was already made; with nothing left to
    adopt, says so and changes nothing. Stop the service first."""
    db = open_database()
    try:
        with db.session() as session:
            adoption = audit.adopt(session, by, reason)
    except audit.AdoptRefused as error:
        raise fail(f"adoption refused: {error}") from None
    if adoption.entries is None:
        console.print("Nothing to adopt: every operational row is already recorded in the audit "
                      "log. Nothing was changed.")
        return
    rows = ", ".join(f"{table} {count}" for table, count in adoption.rows.items())
    first, last = adoption.entries
    where = f"row {first}" if first == last else f"rows {first}-{last}"
    console.print(f"Adopted {sum(adoption.rows.values())} rows ({rows}) in audit {where}, by "
                  f"{by.strip()}. `pamtps audit verify` now checks them like every other row.")
