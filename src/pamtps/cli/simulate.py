"""Commands of election day: ``pamtps simulate`` plays a voting day against a running service."""

from __future__ import annotations

from typing import Annotated

import typer

from pamtps.cli.app import app, console, err_console, fail, print_json
from pamtps.cli.service import open_database
from pamtps.ops.demo import DEMO_PASSWORD


@app.command()
def simulate(
    url: Annotated[str, typer.Argument(help="The running service (loopback only).")] = (
        "http://127.0.0.1:8000"
    ),
    speed: Annotated[
        float,
        typer.Option(min=1, help="Simulated seconds per real second (360: six hours a minute)."),
    ] = 360,
    seed: Annotated[int, typer.Option(help="Seed of the day's events.")] = 1,
    start: Annotated[float, typer.Option(help="Local hour to start at (4.5 = 04:30).")] = 4.5,
    until: Annotated[float, typer.Option(help="Local hour to stop at (28 = 04:00 next day).")] = 28,
    posts: Annotated[int | None, typer.Option(help="Only the first N posts.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=32, help="Parallel phones.")] = 8,
    max_actions: Annotated[int, typer.Option(min=1, help="Upper bound of actions.")] = 50_000,
    dispatches: Annotated[int, typer.Option(min=0, help="Reserve dispatches at most.")] = 6,
    password: Annotated[str, typer.Option(help="Password of the demo user komandan.")] = (
        DEMO_PASSWORD
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Play a whole voting day (check-ins, TPS status, incidents at Bawaslu's rates, escorts,
    dispatches) against a running service, fast-forwarded; exits 1 on any server error.

    The simulated phones get device tokens written in the database the settings name (the one
    the service runs on). Run the service with the escort deadlines divided by the speed to see
    overdue legs at the same pace, e.g. PAMTPS_OPS_ESCORT_PPS_DEADLINE_MIN=0.33 for --speed 360.
    """
    from pamtps.settings import get_settings
    from pamtps.simulate import simulate as play
    from pamtps.simulate.http import NotLoopback

    settings = get_settings()
    database = open_database()
    try:
        outcome = play(
            url,
            database,
            settings,
            password=password,
            speed=speed,
            seed=seed,
            start_h=start,
            until_h=until,
            workers=workers,
            max_actions=max_actions,
            posts_limit=posts,
            dispatches=dispatches,
        )
    except (NotLoopback, RuntimeError, OSError) as error:
        raise fail(str(error)) from None
    finally:
        database.dispose()
    if as_json:
        print_json(outcome.to_json())
    else:
        console.print(
            f"{outcome.posts} posts, {outcome.tps} TPS, {outcome.actions} actions; "
            f"setup {outcome.setup_s:.1f} s, day {outcome.play_s:.1f} s"
        )
        for answer, n in sorted(outcome.answers.items()):
            console.print(f"  {answer}: {n}")
    if outcome.server_errors:
        for found in outcome.server_errors[:20]:
            err_console.print(f"[red]server error[/] {found}", highlight=False)
        raise typer.Exit(1)
