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
    sms_share: Annotated[
        float, typer.Option(min=0, max=1, help="Share of the officers' reports sent by SMS.")
    ] = 0.0,
    sms_gateway: Annotated[
        str, typer.Option(help="How SMS arrive: 'android' (signed webhook) or 'form'.")
    ] = "android",
    queue_share: Annotated[
        float,
        typer.Option(min=0, max=1, help="Share of the reports kept in a phone's offline queue."),
    ] = 0.0,
    queue_delay_min: Annotated[
        float, typer.Option(min=0, max=1380, help="Minutes a queue waits for signal.")
    ] = 45.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Play a whole voting day (check-ins, TPS status, incidents at Bawaslu's rates, escorts,
    dispatches) against a running service, fast-forwarded; exits 1 on any server error.

    The simulated phones get device tokens written in the database the settings name (the one
    the service runs on). With --sms-share their numbers are registered for SMS and that share
    of their reports goes through the gateway endpoint; with --queue-share that share waits in
    an offline queue for --queue-delay-min minutes and is sent with the phone's time. At the
    end the command post's counts are compared with the simulated truth (with a share given,
    exit 1 if they differ: run it on a fresh day). Run the service with the escort deadlines
    divided by the speed to see overdue legs at the same pace, e.g.
    PAMTPS_OPS_ESCORT_PPS_DEADLINE_MIN=0.33 for --speed 360.
    """
    from pamtps.settings import get_settings
    from pamtps.simulate import simulate as play
    from pamtps.simulate.channels import Shares
    from pamtps.simulate.http import NotLoopback

    try:
        shares = Shares(sms=sms_share, queue=queue_share, queue_delay_min=queue_delay_min)
    except ValueError as error:
        raise fail(str(error)) from None
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
            shares=shares,
            sms_gateway=sms_gateway,
        )
    except (NotLoopback, RuntimeError, OSError, ValueError) as error:
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
        console.print("channels: " + ", ".join(
            f"{name} {n}" for name, n in sorted(outcome.accepted.items())))
        verdict = "equal" if outcome.matches else "DIFFERENT"
        console.print(f"command post vs truth: {verdict}")
        for name in sorted(set(outcome.truth) | set(outcome.command_post)):
            console.print(f"  {name}: {outcome.command_post[name]} / {outcome.truth[name]}")
    if not outcome.matches:
        err_console.print("[red]the command post does not show what was sent[/]")
    if outcome.server_errors:
        for found in outcome.server_errors[:20]:
            err_console.print(f"[red]server error[/] {found}", highlight=False)
    checked = shares.sms > 0 or shares.queue > 0
    if outcome.server_errors or (checked and not outcome.matches):
        raise typer.Exit(1)
