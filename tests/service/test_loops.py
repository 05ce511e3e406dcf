"""The background loops: rounds repeat, a failed round is logged and the next one runs, an
interval of 0 means never, and the loops stop with the block."""

from __future__ import annotations

import asyncio
import logging

import pytest

from pamtps.ops.loops import running


def test_a_failed_round_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture):
    """The first round raises; later rounds still run; the 0-second loop never runs; after the
    block no round runs any more."""
    rounds: list[int] = []
    never: list[int] = []

    def work() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("database restarting")

    async def scenario() -> int:
        async with running([(0.01, work, "test"), (0, lambda: never.append(1), "off")]):
            while len(rounds) < 3:
                await asyncio.sleep(0.01)
        stopped_at = len(rounds)
        await asyncio.sleep(0.05)
        return stopped_at

    with caplog.at_level(logging.ERROR, logger="pamtps.ops.loops"):
        stopped_at = asyncio.run(scenario())
    assert len(rounds) == stopped_at >= 3
    assert never == []
    assert [r.getMessage() for r in caplog.records] == ["test round failed"]
