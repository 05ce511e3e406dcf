"""What the command post shows at the end of the day, read through its API, and the simulated
truth it must equal: check-ins, TPS steps, incidents and handovers, and the channel each TPS step
and incident report came by."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pamtps.simulate.http import Client

COUNTED = ("checkin", "status", "incident", "handover")
BY_CHANNEL = ("status", "incident")  # the reports whose channel the command post lists


def _get(client: Client, path: str, token: str) -> Any:
    status, body = client.call("GET", path, token=token)
    if status != 200:
        raise RuntimeError(f"the command post's {path} answered {status}: {body}")
    return body


def command_post(client: Client, token: str) -> Counter[str]:
    """The counts the command post shows (``checkin``, ``status`` ...) and, per channel, its TPS
    steps and incident reports (``status sms``, ``incident queue`` ...)."""
    counts: Counter[str] = Counter()
    state = _get(client, "/api/v1/tps/state", token)["tps"]
    arrived: dict[str, int] = {}
    for tps in state:
        if tps["post_id"]:
            arrived[tps["post_id"]] = max(arrived.get(tps["post_id"], 0), tps["checked_in"])
    counts["checkin"] = sum(arrived.values())
    for tps in state:
        if tps["last_status"]:
            steps = _get(client, f"/api/v1/tps/{tps['tps_code']}/timeline", token)["timeline"]
            counts["status"] += len(steps)
            counts.update(f"status {step['channel']}" for step in steps)
    for incident in _get(client, "/api/v1/incidents", token)["incidents"]:
        counts["incident"] += 1
        trail = _get(client, f"/api/v1/incidents/{incident['id']}", token)["trail"]
        counts.update(f"incident {report['channel']}" for report in trail)
    for escort in _get(client, "/api/v1/escorts", token)["escorts"]:
        for leg in escort["legs"].values():
            counts["handover"] += sum(1 for side in ("officer", "receiver") if leg.get(side))
    return +counts


def truth(accepted: Counter[str]) -> Counter[str]:
    """The same counts from what the simulation had accepted (``"<kind> <channel>"``)."""
    counts: Counter[str] = Counter()
    for name, n in accepted.items():
        kind = name.split()[0]
        if kind in COUNTED:
            counts[kind] += n
        if kind in BY_CHANNEL:
            counts[name] += n
    return +counts
