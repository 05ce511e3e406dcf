"""``pamtps simulate`` with a share of the reports by SMS and by delayed offline queues: the
command post ends with what the field sent, and shows how each report came."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pamtps.settings import Settings
from pamtps.simulate import simulate
from pamtps.simulate.channels import Shares
from pamtps.simulate.rates import Rate
from pamtps.store import Database
from pamtps.store.tables.security import UserRow
from tests.service.operations.test_simulate import live_url  # noqa: F401 (the fixture)
from tests.service.personas import PASSWORD

# A troubled day, so that both TPS of the toy post have incidents (every category once each).
TROUBLE = [
    Rate("late_opening", 1.0, (7.0, 7.5), "sedang"),
    Rate("money_politics", 1.0, (8.0, 12.0), "sedang"),
    Rate("voter_intimidation", 1.0, (9.0, 12.0), "tinggi"),
    Rate("power_network_failure", 1.0, (15.0, 20.0), "rendah"),
]


@pytest.mark.parametrize("gateway", ["android", "form"])
def test_a_day_by_sms_and_offline_queues_ends_equal_at_the_command_post(
    live_url: str, reserve_db: Database, settings: Settings, gateway: str  # noqa: F811
):
    """The whole day with 30 % of the reports by SMS and 30 % through 45-minute queues: every
    report is accepted once, the command post's check-ins, TPS steps, incidents and handovers
    equal the simulated truth, and its channel per TPS step and incident report equals the
    channels drawn."""
    shares = Shares(sms=0.3, queue=0.3, queue_delay_min=45)
    outcome = simulate(
        live_url, reserve_db, settings, password=PASSWORD, speed=50_000, workers=2, seed=5,
        shares=shares, sms_gateway=gateway, rates=TROUBLE,
    )
    assert outcome.server_errors == []
    assert outcome.drawn == outcome.accepted  # nothing refused, whatever its channel
    assert outcome.command_post == outcome.truth
    assert outcome.truth["status"] == 2 * 6 and outcome.truth["handover"] == 2 * 4
    assert outcome.truth["checkin"] == 1 and outcome.truth["incident"] == 2 * len(TROUBLE)
    for kind in ("status", "incident"):
        drawn = {k: n for k, n in outcome.drawn.items() if k.startswith(kind + " ")}
        shown = {k: n for k, n in outcome.command_post.items() if k.startswith(kind + " ")}
        assert shown == drawn
    channels = {key.split()[1] for key in outcome.drawn}
    assert channels == {"app", "queue", "sms"}


def test_sms_on_a_fresh_day_when_no_account_holds_the_officers_nrp(
    live_url: str, reserve_db: Database, settings: Settings  # noqa: F811
):
    """On a fresh day the simulated officers have no account yet: the simulation makes them
    before it registers their numbers, and every report then goes by SMS and is counted."""
    with reserve_db.session() as session:
        session.execute(update(UserRow).where(UserRow.role == "officer").values(nrp=None))
    outcome = simulate(
        live_url, reserve_db, settings, password=PASSWORD, speed=50_000, workers=2, seed=5,
        until_h=12, shares=Shares(sms=1.0), rates=TROUBLE,
    )
    assert outcome.server_errors == []
    assert outcome.drawn == outcome.accepted
    assert outcome.command_post == outcome.truth
    assert {key.split()[1] for key in outcome.accepted if key.split()[0] != "ack"} == {"sms"}
    assert outcome.truth["checkin"] == 1
